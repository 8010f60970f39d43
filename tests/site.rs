//! The demo directory and small fixture sites, built and checked from the outside.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{LISTING, SITE, TestSite, repo, strings};
use dayopps::build::BuildOptions;
use regex::Regex;
use serde_yaml::Value;

/// Builds the repository's demo directory into a fresh temporary folder.
fn build_demo(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let mut options = BuildOptions::new(repo());
    options.output = Some(out.clone());
    options.base_url = base_url.map(str::to_string);
    options.today = Some(time::macros::date!(2026 - 11 - 23));
    dayopps::build(&options).unwrap_or_else(|e| panic!("the demo should build: {e}"));
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// The services a page lists, by the links to them.
fn services_linked(html: &str, base: &str) -> BTreeSet<String> {
    let re = Regex::new(&format!(r#"href="?{base}services/([a-z0-9-]+)/[" >]"#)).expect("pattern");
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn demo_has_a_page_for_everything() {
    let (_dir, out) = build_demo(None);
    let listings = common::demo_listings();
    assert!(
        listings.len() >= 40,
        "the demo has {} listings",
        listings.len()
    );
    for slug in listings.keys() {
        assert!(
            out.join(format!("services/{slug}/index.html")).is_file(),
            "no page for {slug}"
        );
    }
    every_vocabulary_value_has_a_page(&out);
    for day in [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ] {
        assert!(out.join(format!("days/{day}/index.html")).is_file());
    }
    for when in ["evenings", "weekends", "seven-days"] {
        assert!(out.join(format!("when/{when}/index.html")).is_file());
    }
    for page in [
        "index.html",
        "services/index.html",
        "about/index.html",
        "accessibility-statement/index.html",
        "how-to-get-a-place/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(out.join(page).is_file(), "no {page}");
    }
}

fn every_vocabulary_value_has_a_page(out: &Path) {
    let site: Value =
        serde_yaml::from_str(&fs::read_to_string(repo().join("site.yaml")).expect("site.yaml"))
            .expect("yaml");
    for (vocab, segment) in [
        ("needs", "needs"),
        ("service_types", "service-types"),
        ("activities", "activities"),
        ("areas", "areas"),
        ("funding", "funding"),
        ("accessibility", "accessibility"),
    ] {
        assert!(
            out.join(format!("{segment}/index.html")).is_file(),
            "no index for {segment}"
        );
        let terms = site["vocabularies"][vocab]
            .as_mapping()
            .expect("vocabulary");
        for key in terms.keys() {
            let key = key.as_str().expect("key");
            assert!(
                out.join(format!("{segment}/{key}/index.html")).is_file(),
                "no page for {segment}/{key}"
            );
        }
    }
}

#[test]
fn demo_uses_every_vocabulary_value() {
    let listings = common::demo_listings();
    let site: Value =
        serde_yaml::from_str(&fs::read_to_string(repo().join("site.yaml")).expect("site.yaml"))
            .expect("yaml");
    for vocab in [
        "needs",
        "service_types",
        "activities",
        "funding",
        "referral",
        "accessibility",
        "outcomes",
    ] {
        let used: BTreeSet<String> = listings
            .values()
            .flat_map(|l| {
                let mut v = strings(l.get(vocab));
                for loc in l
                    .get("locations")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                {
                    v.extend(strings(loc.get(vocab)));
                }
                v
            })
            .collect();
        for key in site["vocabularies"][vocab]
            .as_mapping()
            .expect("vocabulary")
            .keys()
        {
            assert!(
                used.contains(key.as_str().expect("key")),
                "{vocab}: {key:?} is unused in the demo"
            );
        }
    }
}

#[test]
fn facet_pages_list_exactly_the_matching_services() {
    let (_dir, out) = build_demo(None);
    let listings = common::demo_listings();
    let expect = |pred: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        listings
            .iter()
            .filter(|(_, v)| pred(v))
            .map(|(k, _)| k.clone())
            .collect()
    };
    for need in ["dementia", "autism", "learning-disabilities"] {
        let page = read(&out, &format!("needs/{need}/index.html"));
        let main = page.split("<main").nth(1).expect("a main element");
        assert_eq!(
            services_linked(main, "/"),
            expect(&|v| strings(v.get("needs")).contains(&need.to_string())),
            "needs/{need}"
        );
    }
    let sessions = |v: &Value| {
        v.get("schedule")
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
    };
    let saturday = expect(&|v| {
        sessions(v)
            .iter()
            .any(|s| strings(s.get("days")).contains(&"sat".to_string()))
    });
    let page = read(&out, "days/saturday/index.html");
    assert_eq!(
        services_linked(page.split("<main").nth(1).expect("main"), "/"),
        saturday
    );
    let evenings = expect(&|v| {
        sessions(v).iter().any(|s| {
            s.get("to")
                .and_then(Value::as_str)
                .is_some_and(|t| t > "17:30")
        })
    });
    let page = read(&out, "when/evenings/index.html");
    assert!(!evenings.is_empty());
    assert_eq!(
        services_linked(page.split("<main").nth(1).expect("main"), "/"),
        evenings
    );
    let az = read(&out, "services/index.html");
    assert_eq!(services_linked(&az, "/").len(), listings.len());
}

/// Every internal link and asset of every page resolves to a file, and same-page anchors exist.
fn assert_links_resolve(out: &Path, base: &str) {
    // minify-html drops quotes where HTML allows it
    let attr = Regex::new(r#"\s(?:href|src)=(?:"([^"]*)"|([^\s">]+))"#).expect("pattern");
    let id = Regex::new(r#"\sid=(?:"([^"]*)"|([^\s">]+))"#).expect("pattern");
    let mut checked = 0;
    for (rel, bytes) in files(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let value =
            |c: regex::Captures<'_>| c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).to_string();
        let ids: BTreeSet<String> = id.captures_iter(&html).map(value).collect();
        for url in attr.captures_iter(&html).map(value) {
            let url = url.as_str();
            if let Some(fragment) = url.strip_prefix('#') {
                assert!(
                    ids.contains(fragment),
                    "{rel}: no element with id {fragment}"
                );
                continue;
            }
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            let path = url
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("{rel}: {url} does not start with {base}"));
            let path = path.split(['#', '?']).next().unwrap_or("");
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(out.join(&file).is_file(), "{rel}: broken link {url}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let (_dir, out) = build_demo(None);
    assert_links_resolve(&out, "/");
}

#[test]
fn a_sub_path_base_url_is_honoured_everywhere() {
    let (_dir, out) = build_demo(Some("https://council.example.gov.uk/day-services"));
    assert_links_resolve(&out, "/day-services/");
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://council.example.gov.uk/day-services/services/riverside-garden-project/</loc>"), "{sitemap}");
    assert!(
        read(&out, "robots.txt")
            .contains("Sitemap: https://council.example.gov.uk/day-services/sitemap.xml")
    );
    assert!(read(&out, "404.html").contains(r#"href="/day-services/">"#));
}

#[test]
fn the_demo_has_no_broken_link_and_publishes_the_guide_for_providers() {
    let mut options = BuildOptions::new(repo());
    options.today = Some(time::macros::date!(2026 - 11 - 23));
    let built = dayopps::build_in_memory(&options)
        .unwrap_or_else(|e| panic!("a broken link is an error, and the demo has none: {e}"));
    let about = built.site.pages.iter().find(|p| p.slug == "about");
    let checked: Vec<&str> = about
        .map(|p| p.links.iter().map(|l| l.path.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        checked,
        ["providers/"],
        "the about page's links to the site"
    );
    assert!(built.output.get("providers/index.html").is_some());
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = build_demo(None);
    let (_b, second) = build_demo(None);
    let (first, second) = (files(&first), files(&second));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

fn assert_no_staging_left(site: &TestSite) {
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .expect("root")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("the first build works");
    let before = files(&site.root().join("public"));
    let site = site.listing_with("broken.md", "area: north", "area: nowhere");
    assert!(matches!(site.build(), Err(dayopps::BuildError::Content(_))));
    assert_eq!(files(&site.root().join("public")), before);
    assert_no_staging_left(&site);
}

/// Pages are written aside as they are rendered: a template failing midway must still leave
/// the previous site whole and no half-written folder behind.
#[test]
fn a_build_failing_while_writing_pages_leaves_the_previous_site_untouched() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("the first build works");
    let before = files(&site.root().join("public"));
    let site = site.file(
        "themes/default/templates/404.html",
        "{{ no_such_value.at_all }}",
    );
    assert!(matches!(site.build(), Err(dayopps::BuildError::Render(_))));
    assert_eq!(files(&site.root().join("public")), before);
    assert_no_staging_left(&site);
}

#[test]
fn a_new_build_replaces_removed_pages() {
    let site = TestSite::new()
        .listing("garden.md", LISTING)
        .listing("other.md", LISTING);
    site.build().expect("builds");
    assert!(
        site.root()
            .join("public/services/other/index.html")
            .is_file()
    );
    fs::remove_file(site.root().join("content/listings/other.md")).expect("removed");
    site.build().expect("builds");
    assert!(!site.root().join("public/services/other").exists());
}

#[test]
fn the_output_folder_cannot_be_the_site_itself() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let mut options = site.options();
    options.output = Some(site.root().to_path_buf());
    assert!(matches!(
        dayopps::build(&options),
        Err(dayopps::BuildError::Write(_))
    ));
    assert!(site.root().join("site.yaml").is_file());
}

#[test]
fn another_councils_vocabularies_build_without_code_changes() {
    let site_yaml = "\
title: Northshire Day Services
council: Northshire County Council
base_url: https://northshire.example/
language: cy-GB
vocabularies:
  needs:
    carers: { label: Carers, description: Support for unpaid carers. }
    sight-loss: { label: Sight loss, synonyms: [blind, visual impairment] }
  funding:
    county-funded: { label: Funded by the county }
  areas:
    dales: { label: The Dales, in_borough: true }
";
    let listing = LISTING
        .replace("[learning-disabilities]", "[carers, sight-loss]")
        .replace("area: north", "area: dales")
        .replace("[commissioned]", "[county-funded]");
    let site = TestSite::new()
        .file("site.yaml", site_yaml)
        .listing("walk.md", &listing);
    site.build().expect("builds");
    assert!(site.read("index.html").contains(r#"<html lang="cy-GB">"#));
    assert!(
        site.read("needs/sight-loss/index.html")
            .contains("Garden Club")
    );
    assert!(
        site.read("funding/county-funded/index.html")
            .contains("Garden Club")
    );
    assert!(site.read("areas/dales/index.html").contains("Garden Club"));
    assert!(
        !site.root().join("public/needs/dementia").exists(),
        "a council's own list replaces the default"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new().listing("garden.md", LISTING).listing_with(
        "secret.md",
        "updated: 2026-01-01",
        "updated: 2026-01-01\ndraft: true",
    );
    site.build().expect("builds");
    assert!(!site.root().join("public/services/secret").exists());
    let mut options = site.options();
    options.drafts = true;
    dayopps::build(&options).expect("builds with drafts");
    assert!(
        site.root()
            .join("public/services/secret/index.html")
            .is_file()
    );
}

#[test]
fn templates_escape_content() {
    let site = TestSite::new().listing_with(
        "garden.md",
        "title: Garden Club",
        "title: \"<img src=x onerror=alert(1)> {{ site.title }}\"",
    );
    site.build().expect("builds");
    let page = site.read("services/garden/index.html");
    // <title> holds text only, so the minifier may leave `<` bare there; the body must not.
    let body = page.split("</head>").nth(1).expect("a body");
    assert!(!body.contains("<img src=x"), "{body}");
    assert!(
        body.contains("<h1>&lt;img src=x onerror=alert(1)&gt; {{ site.title }}</h1>"),
        "{body}"
    );
}

#[test]
fn listing_page_snapshot() {
    let everything =
        fs::read_to_string(repo().join("tests/fixtures/everything.md")).expect("fixture");
    let site = TestSite::new()
        .file("content/images/garden.png", "png")
        .listing("everything.md", &everything);
    site.build().expect("builds");
    let html = site.read("services/everything/index.html");
    let main = html
        .split("<main")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .expect("main");
    insta::assert_snapshot!(format!("<main{main}</main>").replace("><", ">\n<"));
}

#[test]
fn the_cli_exits_non_zero_and_names_the_problem() {
    let site = TestSite::new().listing_with("garden.md", "area: north", "area: nort");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/listings/garden.md:7:7"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `north`?"), "{stderr}");
    assert!(
        stderr.contains("error: the build stopped: 1 problem in 1 file. Nothing was written;"),
        "{stderr}"
    );
    assert!(!site.root().join("public").exists());
}

#[test]
fn the_cli_builds_and_says_what_it_made() {
    let site = TestSite::new()
        .file("site.yaml", SITE)
        .listing("garden.md", LISTING);
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Built 1 service and"));
    assert!(
        site.root()
            .join("public/services/garden/index.html")
            .is_file()
    );
}

#[test]
fn pages_quote_site_yaml_so_the_accessibility_statement_stays_true() {
    let statement = fs::read_to_string(repo().join("content/pages/accessibility-statement.md"))
        .expect("the demo statement");
    let site = TestSite::new()
        .file("content/pages/accessibility-statement.md", &statement)
        .listing("garden.md", LISTING);
    let built = site.build().expect("builds");
    assert!(built.diagnostics.is_empty(), "{}", built.diagnostics);
    let html = site.read("accessibility-statement/index.html");
    for expected in [
        "Test Borough Council runs this website.",
        "mailto:help@test.example",
        "call 020 7946 0000",
        "https://example.gov.uk/",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    for section in [
        "How accessible this website is",
        "Reporting accessibility problems",
        "Enforcement procedure",
        "Compliance status",
        "Preparation of this accessibility statement",
    ] {
        assert!(
            html.contains(section),
            "the statement needs a section {section:?}"
        );
    }
    let unknown = TestSite::new()
        .file(
            "content/pages/about.md",
            "---\ntitle: About\n---\nRun by {{ site.mayor }}.\n",
        )
        .listing("garden.md", LISTING);
    let built = unknown
        .build()
        .expect("an unknown placeholder is a warning");
    assert_eq!(
        built.diagnostics.to_string().lines().next(),
        Some(
            "content/pages/about.md:4:8: warning: `site.mayor` is not something a page can quote from site.yaml"
        )
    );
}

/// A folder beside the output as a build names it, holding a page.
fn leftover(site: &TestSite, name: &str) -> std::path::PathBuf {
    let dir = site.root().join(name);
    fs::create_dir_all(dir.join("services")).expect("made");
    fs::write(dir.join("services/index.html"), "old").expect("written");
    dir
}

#[test]
fn a_build_removes_the_site_it_replaced_and_the_folders_of_stopped_builds() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("the first build works");
    // The folders a build stopped by Ctrl-C, and a removal stopped midway, would leave.
    leftover(&site, ".public.building-4000001");
    leftover(&site, ".public.old-4000002");
    let unrelated = leftover(&site, ".public-notes");
    site.build().expect("the second build works");
    assert_no_staging_left(&site);
    assert!(unrelated.is_dir(), "a folder no build made was removed");
    assert!(
        site.root()
            .join("public/services/garden/index.html")
            .is_file()
    );
}

#[test]
fn a_build_leaves_the_staging_folder_of_a_running_build_alone() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let running = leftover(&site, ".public.building-4000003");
    // A build holds a lock on its staging folder while it runs.
    let lock = fs::File::open(&running).expect("opened");
    lock.lock().expect("locked");
    site.build().expect("builds");
    assert!(running.join("services/index.html").is_file());
    drop(lock);
    site.build().expect("builds");
    assert_no_staging_left(&site);
}

/// Listings are in alphabetical order of title as people read it (case and a leading "The"
/// ignored), and listings with the same title in order of file name.
#[test]
fn listings_are_in_alphabetical_order_ignoring_case_and_the() {
    let site = TestSite::new()
        .listing_with("zebra.md", "Garden Club", "The Zebra Club")
        .listing_with("apple.md", "Garden Club", "apple day centre")
        .listing_with("birch.md", "Garden Club", "Birch House")
        .listing_with("oak-b.md", "Garden Club", "Oak Centre")
        .listing_with("oak-a.md", "Garden Club", "oak centre")
        .listing_with("the-ash.md", "Garden Club", "The ash tree");
    let (loaded, _) = dayopps::build::load_site(&site.options()).expect("loads");
    let slugs: Vec<&str> = loaded.listings.iter().map(|l| l.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["apple", "the-ash", "birch", "oak-a", "oak-b", "zebra"]
    );
}
