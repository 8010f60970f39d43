//! "Report a problem with this entry" (site.yaml `report`: e-mail, GitHub repository, the
//! fallback to `contact.email`, and hostile values refused with located errors) and the Atom
//! feed beside each facet value's page.

mod common;

use common::atom::{ATOM, child_text};
use common::{LISTING, SITE, TestSite};

fn site_with(report: &str) -> TestSite {
    TestSite::new()
        .file("site.yaml", &format!("{SITE}{report}"))
        .listing("garden.md", LISTING)
}

/// The service page's "Report a problem" section, as built.
fn report_section(site: &TestSite) -> String {
    site.build().expect("the site builds");
    let html = site.read("services/garden/index.html");
    let start = html
        .find("<section class=\"section report-problem\"")
        .expect("a report section");
    let end = start + html[start..].find("</section>").expect("its end");
    html[start..end].to_string()
}

/// The `href` of the link whose text is `text`, with `&amp;` undone.
fn href_of(html: &str, text: &str) -> Option<String> {
    let at = html.find(&format!(">{text}</a>"))?;
    let open = html[..at].rfind("<a ")?;
    let tag = &html[open..at];
    let from = tag.find("href=")? + 5;
    let rest = &tag[from..];
    let value = match rest.strip_prefix('"') {
        Some(q) => &q[..q.find('"')?],
        None => rest.split([' ', '>']).next()?,
    };
    Some(value.replace("&amp;", "&"))
}

/// The query of a link, decoded into (key, value) pairs.
fn query(href: &str) -> Vec<(String, String)> {
    let q = href.split_once('?').expect("a query").1;
    url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn report_by_email_prefills_the_service_and_its_page() {
    let site = site_with("report: { email: \"listings+fix@test.example\" }\n");
    let section = report_section(&site);
    let href = href_of(&section, "Report a problem with this entry").expect("a report link");
    assert!(
        href.starts_with("mailto:listings+fix@test.example?subject="),
        "{href}"
    );
    // Spaces are %20, never `+`, which mail programs would show as it is.
    assert!(!href.contains('+') || href.starts_with("mailto:listings+fix@"));
    assert!(!href[10..].contains(' '), "unencoded space in {href}");
    let q = query(&href.replace('+', "%2B"));
    assert_eq!(
        q[0],
        (
            "subject".into(),
            "Problem with the entry for Garden Club".into()
        )
    );
    assert_eq!(q[1].0, "body");
    assert!(q[1].1.contains("Service: Garden Club\r\n"), "{:?}", q[1].1);
    assert!(
        q[1].1
            .contains("Page: https://example.gov.uk/services/garden/\r\n")
    );
    assert!(q[1].1.contains("File: content/listings/garden.md\r\n"));
    assert!(
        section.contains("last checked on <time datetime=\"2026-01-01\">1 January 2026</time>")
    );
    assert!(!section.contains("GitHub"), "{section}");
}

#[test]
fn report_falls_back_to_the_site_contact_email() {
    let site = site_with("");
    let section = report_section(&site);
    let href = href_of(&section, "Report a problem with this entry").expect("a report link");
    assert!(href.starts_with("mailto:help@test.example?subject=Problem%20with%20the%20entry%20for%20Garden%20Club&body="), "{href}");
}

#[test]
fn without_any_address_the_page_gives_the_council_phone() {
    let site = TestSite::new()
        .file(
            "site.yaml",
            &SITE.replace(
                "contact: { phone: 020 7946 0000, email: help@test.example }",
                "contact: { phone: 020 7946 0000 }",
            ),
        )
        .listing("garden.md", LISTING);
    let section = report_section(&site);
    assert!(href_of(&section, "Report a problem with this entry").is_none());
    assert!(section.contains("To report a problem with it, contact Test Borough Council on <a href=\"tel:02079460000\">"), "{section}");
}

#[test]
fn report_to_a_repository_gives_an_issue_and_an_edit_link() {
    let site = site_with(
        "report:\n  repository: https://github.com/test-council/day-services/\n  branch: release/2026\n",
    );
    let section = report_section(&site);
    let issue = href_of(&section, "Report a problem with this entry").expect("a report link");
    assert!(
        issue.starts_with("https://github.com/test-council/day-services/issues/new?title="),
        "{issue}"
    );
    let q = query(&issue);
    assert_eq!(q[0].1, "Problem with the entry for Garden Club");
    assert!(
        q[1].1
            .contains("Page: https://example.gov.uk/services/garden/")
    );
    assert!(section.contains("(on GitHub, where you need an account)"));
    let edit = href_of(&section, "suggest a change to this entry on GitHub").expect("an edit link");
    assert_eq!(
        edit,
        "https://github.com/test-council/day-services/edit/release/2026/content/listings/garden.md"
    );
}

#[test]
fn with_both_the_email_is_for_reports_and_the_repository_for_edits() {
    let site =
        site_with("report: { email: fix@test.example, repository: \"https://github.com/t/d\" }\n");
    let section = report_section(&site);
    let href = href_of(&section, "Report a problem with this entry").expect("a report link");
    assert!(href.starts_with("mailto:fix@test.example?"), "{href}");
    assert_eq!(
        href_of(&section, "suggest a change to this entry on GitHub").as_deref(),
        Some("https://github.com/t/d/edit/main/content/listings/garden.md")
    );
}

#[test]
fn a_title_with_markup_and_ampersands_is_escaped_in_the_links() {
    let site = TestSite::new()
        .file(
            "site.yaml",
            &format!("{SITE}report: {{ repository: \"https://github.com/t/d\" }}\n"),
        )
        .listing(
            "garden.md",
            &LISTING.replace(
                "title: Garden Club",
                "title: \"Tea & <b>Cake</b> \\\"Club\\\" ?x=1#y\"",
            ),
        );
    let section = report_section(&site);
    assert!(!section.contains("<b>"), "{section}");
    let issue = href_of(&section, "Report a problem with this entry").expect("a report link");
    assert!(!issue.contains(['"', '<', '>', ' ', '#']), "{issue}");
    assert_eq!(
        query(&issue)[0].1,
        "Problem with the entry for Tea & <b>Cake</b> \"Club\" ?x=1#y"
    );
}

/// Every problem with `report`, each where it is, in one run.
#[test]
fn report_problems_are_located_and_explained() {
    let site = site_with(
        "report:\n  emial: a@b.example\n  email: not an address\n  repository: http://github.com/t/d?tab=1\n  branch: ../main\n",
    );
    insta::assert_snapshot!(site.errors());
}

#[test]
fn hostile_repositories_are_refused() {
    for bad in [
        "javascript:alert(1)",
        "https://github.com.evil.example/t/d",
        "https://evil.example/github.com/t/d",
        "https://github.com/t/d/issues",
        "https://user:pw@github.com/t/d",
        "https://github.com/t/d\\\"><script>",
    ] {
        let site = site_with(&format!("report: {{ repository: \"{bad}\" }}\n"));
        let errors = site.errors();
        assert!(
            errors.contains("is not the address of a repository on GitHub"),
            "{bad}: {errors}"
        );
        assert!(errors.starts_with("site.yaml:"), "{errors}");
    }
}

#[test]
fn report_of_the_wrong_shape() {
    let errors = site_with("report: directory@test.example\n").errors();
    insta::assert_snapshot!(errors);
    let errors = site_with("report: {}\n").errors();
    assert!(
        errors.contains("`report` says neither where to e-mail nor which repository to use"),
        "{errors}"
    );
    let errors = site_with("report: { branch: main }\n").errors();
    assert!(
        errors.contains("`branch` is given without a `repository`"),
        "{errors}"
    );
    let errors = site_with("reprot: { email: a@test.example }\n").errors();
    assert!(
        errors.contains("unknown field `reprot`") && errors.contains("did you mean `report`?"),
        "{errors}"
    );
}

// ---- Feeds per facet value.

fn link(node: roxmltree::Node, rel: &str) -> Option<String> {
    node.children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some(rel))
        .and_then(|c| c.attribute("href").map(str::to_string))
}

/// Three services, two with dementia among their needs, checked on different days.
fn three_services() -> TestSite {
    let dementia = |title: &str, updated: &str| {
        LISTING
            .replace("title: Garden Club", &format!("title: {title}"))
            .replace(
                "needs: [learning-disabilities]",
                "needs: [dementia, older-people]",
            )
            .replace("updated: 2026-01-01", &format!("updated: {updated}"))
    };
    TestSite::new()
        .listing("older.md", &dementia("Memory Cafe", "2025-11-02"))
        .listing(
            "newer.md",
            &dementia("Singing <for> the Brain & Co", "2026-03-04"),
        )
        .listing("garden.md", LISTING)
}

#[test]
fn each_facet_value_has_a_valid_atom_feed_newest_first() {
    let site = three_services();
    site.build().expect("the site builds");
    let text = site.read("needs/dementia/feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    let self_url = "https://example.gov.uk/needs/dementia/feed.xml";
    assert_eq!(child_text(feed, "id").as_deref(), Some(self_url));
    assert_eq!(link(feed, "self").as_deref(), Some(self_url));
    assert_eq!(
        link(feed, "alternate").as_deref(),
        Some("https://example.gov.uk/needs/dementia/")
    );
    assert_eq!(
        child_text(feed, "title").as_deref(),
        Some("Test Directory: Needs: Dementia")
    );
    assert_eq!(
        child_text(feed, "updated").as_deref(),
        Some("2026-03-04T00:00:00Z")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let titles: Vec<_> = entries.iter().map(|e| child_text(*e, "title")).collect();
    assert_eq!(
        titles,
        [
            Some("Singing <for> the Brain & Co".into()),
            Some("Memory Cafe".into())
        ]
    );
    for e in &entries {
        // Atom requires these of every entry.
        assert!(child_text(*e, "id").is_some_and(|id| id.starts_with("urn:uuid:")));
        assert!(child_text(*e, "updated").is_some());
        assert!(
            link(*e, "alternate")
                .is_some_and(|l| l.starts_with("https://example.gov.uk/services/"))
        );
    }
    assert_eq!(
        child_text(entries[0], "updated").as_deref(),
        Some("2026-03-04T00:00:00Z")
    );
    other_values_have_feeds_of_their_own(&site);
}

/// Learning disabilities has only the garden; the area, a day and `when` facets get theirs.
fn other_values_have_feeds_of_their_own(site: &TestSite) {
    let ld = site.read("needs/learning-disabilities/feed.xml");
    assert_eq!(ld.matches("<entry>").count(), 1);
    for other in [
        "areas/north/feed.xml",
        "days/monday/feed.xml",
        "service-types/building-based/feed.xml",
    ] {
        let text = site.read(other);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{other}: {e}"));
        assert_eq!(text.matches("<entry>").count(), 3, "{other}");
    }
}

#[test]
fn a_value_with_no_services_has_an_empty_feed_dated_by_the_site() {
    let site = three_services();
    site.build().expect("the site builds");
    let text = site.read("needs/autism/feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.children()
            .filter(|c| c.tag_name().name() == "entry")
            .count(),
        0
    );
    assert_eq!(
        child_text(feed, "updated").as_deref(),
        Some("2026-03-04T00:00:00Z")
    );
}

#[test]
fn the_facet_value_page_links_its_feed() {
    let site = three_services();
    site.build().expect("the site builds");
    let html = site.read("needs/dementia/index.html");
    assert!(
        html.contains("<link rel=alternate type=application/atom+xml title=\"Test Directory: Dementia\" href=/needs/dementia/feed.xml>")
            || html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Test Directory: Dementia\" href=\"/needs/dementia/feed.xml\">"),
        "no <link> to the feed in the head"
    );
    assert!(html.contains("Follow new and updated services for Dementia</a>"));
}

#[test]
fn feeds_follow_a_base_path_and_are_the_same_every_build() {
    let site = three_services().file(
        "site.yaml",
        &SITE.replace(
            "https://example.gov.uk/",
            "https://example.gov.uk/day-services/",
        ),
    );
    site.build().expect("the site builds");
    let first = site.read("needs/dementia/feed.xml");
    assert!(first.contains("<id>https://example.gov.uk/day-services/needs/dementia/feed.xml</id>"));
    assert!(
        site.read("needs/dementia/index.html")
            .contains("/day-services/needs/dementia/feed.xml")
    );
    site.build().expect("the site builds again");
    assert_eq!(first, site.read("needs/dementia/feed.xml"));
}

#[test]
fn every_feed_keeps_the_fifty_most_recently_checked() {
    let mut site = TestSite::new();
    for day in 1..=28 {
        for month in ["01", "02"] {
            let listing = LISTING.replace(
                "updated: 2026-01-01",
                &format!("updated: 2026-{month}-{day:02}"),
            );
            site = site.listing(&format!("s-{month}-{day:02}.md"), &listing);
        }
    }
    site.build().expect("the site builds");
    // The site's feed (a 100,000-service site's was 50 MB) and a facet value's alike.
    for feed in ["feed.xml", "needs/learning-disabilities/feed.xml"] {
        let text = site.read(feed);
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let updated: Vec<String> = doc
            .root_element()
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .filter_map(|e| child_text(e, "updated"))
            .collect();
        assert_eq!(updated.len(), dayopps::export::feed::FEED_ENTRIES, "{feed}");
        assert_eq!(updated[0], "2026-02-28T00:00:00Z", "{feed}");
        // 56 services: the six checked first (1 to 6 January) are left out.
        assert_eq!(updated[49], "2026-01-07T00:00:00Z", "{feed}");
    }
}
