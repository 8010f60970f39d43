//! Long lists in pages of 50: the facet value pages and the A to Z, with GOV.UK's pagination.

mod common;

use common::TestSite;
use scraper::{Html, Selector};

/// A site of `n` listings, 12 to a letter (A000 Club, A001 Club, ..., B012 Club, ...), all
/// open on Mondays.
fn site_of(n: usize) -> TestSite {
    let mut site = TestSite::new();
    for i in 0..n {
        let letter = char::from(b'A' + u8::try_from(i / 12).expect("a letter"));
        let title = format!("title: {letter}{i:03} Club");
        site = site.listing_with(
            &format!("{letter}{i:03}-club.md").to_lowercase(),
            "title: Garden Club",
            &title,
        );
    }
    site
}

fn built(n: usize) -> TestSite {
    let site = site_of(n);
    site.build().expect("the site builds");
    site
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).expect("a selector"))
        .collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn attr(page: &Html, css: &str, name: &str) -> Option<String> {
    select(page, css)
        .first()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

#[test]
fn facet_value_pages_hold_fifty_services_each() {
    let site = built(120);
    let pages: Vec<Html> = [
        "days/monday/index.html",
        "days/monday/page/2/index.html",
        "days/monday/page/3/index.html",
    ]
    .iter()
    .map(|rel| Html::parse_document(&site.read(rel)))
    .collect();
    let cards: Vec<usize> = pages.iter().map(|p| select(p, "li.card").len()).collect();
    assert_eq!(cards, [50, 50, 20]);
    assert!(
        !site.root().join("public/days/monday/page/1").exists(),
        "page 1 stays where it was"
    );
    assert!(!site.root().join("public/days/monday/page/4").exists());
}

#[test]
fn previous_and_next_link_the_pages_in_order() {
    let site = built(120);
    let first = Html::parse_document(&site.read("days/monday/index.html"));
    let second = Html::parse_document(&site.read("days/monday/page/2/index.html"));
    let last = Html::parse_document(&site.read("days/monday/page/3/index.html"));
    let nav = "nav.pagination[aria-label=Pagination]";
    assert!(
        select(&first, &format!("{nav} a[rel=prev]")).is_empty(),
        "page 1 has no Previous"
    );
    assert!(
        select(&last, &format!("{nav} a[rel=next]")).is_empty(),
        "the last page has no Next"
    );
    assert_eq!(
        attr(&first, &format!("{nav} a[rel=next]"), "href").as_deref(),
        Some("/days/monday/page/2/")
    );
    assert_eq!(
        attr(&second, &format!("{nav} a[rel=prev]"), "href").as_deref(),
        Some("/days/monday/")
    );
    assert_eq!(
        attr(&second, &format!("{nav} a[rel=next]"), "href").as_deref(),
        Some("/days/monday/page/3/")
    );
    assert_eq!(
        attr(&second, "head link[rel=prev]", "href").as_deref(),
        Some("/days/monday/")
    );
    assert_eq!(
        attr(&second, "head link[rel=next]", "href").as_deref(),
        Some("/days/monday/page/3/")
    );
    assert!(select(&first, "head link[rel=prev]").is_empty());
    assert!(select(&last, "head link[rel=next]").is_empty());
    let current: Vec<String> = select(&second, &format!("{nav} a[aria-current=page]"))
        .iter()
        .map(text)
        .collect();
    assert_eq!(current, ["2"]);
    let numbers: Vec<String> = select(&second, &format!("{nav} li a"))
        .iter()
        .map(text)
        .collect();
    assert_eq!(numbers, ["1", "2", "3"]);
}

#[test]
fn headings_and_titles_say_which_page() {
    let site = built(120);
    let second = Html::parse_document(&site.read("days/monday/page/2/index.html"));
    let h1 = text(&select(&second, "h1")[0]);
    assert!(
        h1.starts_with("Monday") && h1.ends_with("Page 2 of 3"),
        "{h1}"
    );
    let title = text(&select(&second, "title")[0]);
    assert!(title.starts_with("Monday (page 2 of 3)"), "{title}");
    assert_eq!(
        attr(&second, "link[rel=canonical]", "href").as_deref(),
        Some("https://example.gov.uk/days/monday/page/2/")
    );
    let az = Html::parse_document(&site.read("services/page/3/index.html"));
    assert!(text(&select(&az, "h1")[0]).ends_with("Page 3 of 3"));
}

#[test]
fn every_page_is_in_the_sitemap() {
    let site = built(120);
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap parses");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for rel in [
        "days/monday/",
        "days/monday/page/2/",
        "days/monday/page/3/",
        "services/",
        "services/page/2/",
        "services/page/3/",
    ] {
        let url = format!("https://example.gov.uk/{rel}");
        assert!(
            locs.contains(&url.as_str()),
            "{url} is missing from the sitemap"
        );
    }
    assert!(!locs.iter().any(|l| l.contains("page/4/")));
    let mut sorted = locs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), locs.len(), "no page twice");
}

#[test]
fn a_to_z_letters_lead_to_the_page_where_they_start() {
    // 12 services a letter: A to D and the start of E on page 1, the rest of E to the start of
    // I on page 2, the rest of I and J on page 3.
    let site = built(120);
    for rel in [
        "services/index.html",
        "services/page/2/index.html",
        "services/page/3/index.html",
    ] {
        let page = Html::parse_document(&site.read(rel));
        let href = |l: &str| {
            select(&page, "nav#letters a")
                .iter()
                .find(|a| text(a) == l)
                .and_then(|a| a.value().attr("href").map(str::to_string))
        };
        assert_eq!(href("A").as_deref(), Some("/services/#a"), "{rel}");
        assert_eq!(href("E").as_deref(), Some("/services/#e"), "{rel}");
        assert_eq!(href("F").as_deref(), Some("/services/page/2/#f"), "{rel}");
        assert_eq!(href("I").as_deref(), Some("/services/page/2/#i"), "{rel}");
        assert_eq!(href("J").as_deref(), Some("/services/page/3/#j"), "{rel}");
        assert_eq!(href("K"), None, "a letter with no services is not a link");
    }
    let second = Html::parse_document(&site.read("services/page/2/index.html"));
    assert_eq!(select(&second, "li.card").len(), 50);
    assert!(select(&second, "#e").is_empty(), "E starts on page 1");
    assert_eq!(select(&second, "#i").len(), 1);
    let headings: Vec<String> = select(&second, "h2.az-group__letter")
        .iter()
        .map(text)
        .collect();
    assert_eq!(headings, ["E (continued)", "F", "G", "H", "I"]);
    let third = Html::parse_document(&site.read("services/page/3/index.html"));
    assert_eq!(select(&third, "li.card").len(), 20);
    assert_eq!(select(&third, "#j").len(), 1);
}

#[test]
fn a_small_directory_has_no_pages() {
    let site = built(50);
    let page = Html::parse_document(&site.read("days/monday/index.html"));
    assert_eq!(select(&page, "li.card").len(), 50);
    let az = Html::parse_document(&site.read("services/index.html"));
    for p in [&page, &az] {
        assert!(select(p, "nav.pagination").is_empty());
        assert!(select(p, "head link[rel=next]").is_empty());
        assert!(!text(&select(p, "h1")[0]).contains("Page"));
    }
    assert_eq!(attr(&az, "nav#letters a", "href").as_deref(), Some("#a"));
    let paged = walkdir::WalkDir::new(site.root().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "page")
        // The static ORUK API's lists have pages of their own, as JSON.
        .filter(|e| !e.path().to_string_lossy().contains("/api/"))
        .count();
    assert_eq!(paged, 0, "no page/ folders");
    assert!(!site.read("sitemap.xml").contains("/page/"));
}

#[test]
fn the_pager_of_a_middle_page() {
    // 312 services (A to Z, 12 each): seven pages, so page 3 shows the first, its
    // neighbours, a gap for pages 5 and 6, and the last.
    let site = built(312);
    let page = site.read("days/monday/page/3/index.html");
    let nav = page
        .split("<nav aria-label=Pagination")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("a pager");
    insta::assert_snapshot!(format!("<nav aria-label=Pagination{nav}</nav>").replace("><", ">\n<"));
}
