//! `dayopps import oruk` on feeds shaped like real councils' (tests/fixtures/oruk-feeds/, all
//! made up): v1 and 3.0 pages, HTML descriptions and every quirk the issue lists, from a file
//! and over HTTP page by page, and hostile feeds that must stop cleanly.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{TestSite, repo};
use serde_json::{Value, json};

/// The fixtures' day: 1 June 2026, as `TestSite::options` builds.
const EPOCH: &str = "1780272000";

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/oruk-feeds").join(name)
}

fn dayopps(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("dayopps runs")
}

/// Imports `source` (a file or an address) into `site`; returns the report.
fn import(site: &TestSite, source: &str) -> String {
    let out = dayopps(site, &["import", "oruk", source]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "import failed: {stderr}");
    stderr
}

/// An import that must fail: its message.
fn import_fails(site: &TestSite, args: &[&str]) -> String {
    let out = dayopps(site, &[&["import", "oruk"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "import passed: {stderr}");
    assert!(
        !site.root().join("content/listings").exists(),
        "a failed import wrote listings"
    );
    stderr
}

/// Every listing file by name.
fn listings(root: &Path) -> BTreeMap<String, String> {
    fs::read_dir(root.join("content/listings"))
        .expect("listings were written")
        .map(|e| {
            let path = e.expect("an entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into();
            (name, fs::read_to_string(&path).expect("readable"))
        })
        .collect()
}

/// `check` passes, naming each draft's problems as warnings; the build without `--drafts`
/// passes too; with `--drafts` those problems are errors again.
fn builds_with_drafts_left_out(site: &TestSite, drafts_with_problems: &[&str]) {
    let check = dayopps(site, &["check"]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check failed:\n{said}");
    for name in drafts_with_problems {
        let at = format!("content/listings/{name}");
        let named = said
            .split('⚠')
            .any(|w| w.contains("in this draft (left out of the build") && w.contains(&at));
        assert!(named, "{at} is not named as a draft with problems:\n{said}");
    }
    let built = dayopps::build_in_memory(&site.options());
    assert!(built.is_ok(), "the build is blocked by drafts");
    let mut with_drafts = site.options();
    with_drafts.drafts = true;
    match dayopps::build_in_memory(&with_drafts) {
        Err(dayopps::BuildError::Content(d)) => {
            assert!(d.to_string().contains("`contact` is missing"), "{d}")
        }
        other => panic!("drafts with problems built: {:?}", other.is_ok()),
    }
}

#[test]
fn a_v1_page_with_every_quirk_imports_and_builds() {
    let site = TestSite::new();
    let report = import(&site, &fixture("v1-page.json").display().to_string());
    let files = listings(site.root());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "befriending-by-phone.md",
            "maple-lodge-day-centre.md",
            "oak-tree-garden-club.md",
            "riverside-craft-group-2.md",
            "riverside-craft-group.md",
            "untitled-service.md",
        ],
        "one file a service; the same name twice gets two; the same record twice, one"
    );
    let maple = &files["maple-lodge-day-centre.md"];
    for kept in [
        "summary: A friendly day centre for older adults, with lunch and activities.",
        "- days:\n  - mon\n  - wed\n  from: 10:00\n  to: 15:30",
        "- days:\n  - fri\n  from: 10:00\n  to: 13:00",
        "postcode: E10 5QX",
        "languages:\n- English",
        "## About Maple Lodge\n\nA friendly day centre",
        "### What we offer\n\n- Art and crafts\n- Chair exercise",
        "[our website](https://maple.example.org/about)",
        "updated: 2024-05-14",
    ] {
        assert!(maple.contains(kept), "{kept:?} is not in:\n{maple}");
    }
    let all: String = files.values().cloned().collect();
    for gone in [
        "pc_",
        "imaginary-cms",
        "<p>",
        "minimum",
        "regular_schedules",
    ] {
        assert!(!all.contains(gone), "{gone} was written");
    }
    let root = site.root().display().to_string();
    insta::assert_snapshot!("v1_import_report", report.replace(&root, "<site>"));
    builds_with_drafts_left_out(&site, &["riverside-craft-group.md"]);
}

#[test]
fn a_v3_page_with_hostile_html_imports_and_builds() {
    let site = TestSite::new();
    let report = import(&site, &fixture("v3-page.json").display().to_string());
    let files = listings(site.root());
    let all: String = files.values().cloned().collect();
    for gone in [
        "script",
        "iframe",
        "evil.example",
        "javascript",
        "onerror",
        "cookie",
    ] {
        assert!(!all.contains(gone), "{gone} reached a listing:\n{all}");
    }
    let lunch = &files["harbour-lunch-club.md"];
    assert!(lunch.contains("Ask at reception or [call us](tel:02079460201)."));
    assert!(lunch.contains("1. Book a place\n2. Come along"));
    assert!(lunch.contains("id: 7d1c6a2e-1111-4a5b-8c9d-000000000001"));
    // The repeated id stays with the first service that has it.
    assert!(files["harbour-lunch-club-2.md"].contains("id: 7d1c6a2e-1111-4a5b-8c9d-000000000002"));
    assert!(!files["coastal-walking-group.md"].contains("id: "));
    let untitled = &files["service-7d1c6a2e.md"];
    assert!(untitled.contains("title: Untitled service"), "{untitled}");
    assert!(untitled.contains("summary: Untitled service"), "{untitled}");
    for said in [
        "left out: <iframe>, <img>, <script>, a javascript: link",
        "read minimum_age of -1 as no age limit",
        "`last_modified: 2024-02-20T08:15:00` has no time zone",
        "pc_metadata, pc_targetAudience",
        "the feed gives the id 7d1c6a2e-1111-4a5b-8c9d-000000000002 to another service too",
        "written as harbour-lunch-club-2.md",
        "(a service with no name): ",
        "`provider: Unknown`, as the record names no organization",
        "Imported 5 services.",
    ] {
        assert!(report.contains(said), "{said:?} is not reported:\n{report}");
    }
    builds_with_drafts_left_out(&site, &["drop-in-advice.md", "service-7d1c6a2e.md"]);
}

/// A feed on loopback: `answer` gives each request's path a status and a body. Serves at
/// most `requests` requests, then stops.
fn fake_feed(requests: usize, answer: fn(&str) -> (u16, String)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
                    break;
                }
            }
            let (status, body) = answer(&path);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    address
}

/// The page a request asks for, or `None` when it names none.
fn page_asked(path: &str) -> Option<u64> {
    path.split(['?', '&'])
        .find_map(|p| p.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
}

fn v1_service(n: u64) -> Value {
    json!({"id": format!("v1-{n}"), "name": format!("Service {n}"),
           "description": format!("<p>Service number {n}.</p>"),
           "phones": [{"number": "020 7946 0300"}],
           "regular_schedules": [{"weekday": "Monday", "opens_at": "10:00", "closes_at": "12:00"}]})
}

#[test]
fn a_v1_feed_is_read_from_the_web_page_by_page() {
    // Spring pages, counted from 0: three of them.
    let feed = fake_feed(3, |path| {
        let n = page_asked(path).unwrap_or(0);
        let page = json!({"content": [v1_service(2 * n), v1_service(2 * n + 1)],
                          "totalElements": 6, "totalPages": 3, "number": n,
                          "first": n == 0, "last": n == 2});
        (200, page.to_string())
    });
    let site = TestSite::new();
    let report = import(&site, &format!("{feed}/services?size=2"));
    assert!(report.contains("Imported 6 services."), "{report}");
    let files = listings(site.root());
    for n in 0..6 {
        assert!(files.contains_key(&format!("service-{n}.md")), "{files:?}");
    }
}

#[test]
fn a_hostile_feed_stops_with_a_clear_error_and_writes_nothing() {
    // Says there is always one more page.
    let endless = fake_feed(20, |path| {
        let n = page_asked(path).unwrap_or(1);
        let page = json!({"contents": [v1_service(n)], "page_number": n,
                          "total_pages": 1_000_000, "last_page": false});
        (200, page.to_string())
    });
    let said = import_fails(&TestSite::new(), &[&endless, "--max-pages", "5"]);
    assert!(said.contains("more than 5 pages"), "{said}");
    assert!(said.contains("--max-pages"), "{said}");

    // Answers the first page whatever is asked.
    let stuck = fake_feed(10, |_| {
        let page = json!({"contents": [v1_service(1)], "page_number": 1,
                          "total_pages": 3, "last_page": false});
        (200, page.to_string())
    });
    let said = import_fails(&TestSite::new(), &[&stuck]);
    assert!(said.contains("answered with page 1 again"), "{said}");

    let html = fake_feed(1, |_| (200, "<!doctype html><p>Welcome</p>".into()));
    let said = import_fails(&TestSite::new(), &[&html]);
    assert!(said.contains("not JSON"), "{said}");
    assert!(said.contains("looks like a web page"), "{said}");

    let broken = fake_feed(1, |_| (500, "{}".into()));
    let said = import_fails(&TestSite::new(), &[&broken]);
    assert!(said.contains("500"), "{said}");

    for bad in ["ftp://127.0.0.1/services", "file:///etc/passwd"] {
        let said = import_fails(&TestSite::new(), &[bad]);
        assert!(said.contains("could not read"), "{said}");
    }
}

#[test]
fn a_page_too_large_is_not_read() {
    let huge = fake_feed(1, |_| {
        let many: Vec<Value> = (0..2_000).map(v1_service).collect();
        (200, json!({"contents": many}).to_string())
    });
    let limits = dayopps::import::Limits {
        max_bytes: 64 * 1024,
        ..Default::default()
    };
    let got = dayopps::import::fetch::pages(&huge, &limits, &mut |_, _| {});
    let message = got.expect_err("too large").to_string();
    assert!(message.contains("larger than"), "{message}");
}

#[test]
fn deeply_nested_json_is_refused_not_followed() {
    let site = TestSite::new();
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let file = site.root().join("deep.json");
    fs::write(&file, deep).expect("written");
    let said = import_fails(&site, &[&file.display().to_string()]);
    assert!(said.contains("is not JSON"), "{said}");
}

#[test]
fn import_then_serve_then_import_from_the_url_gives_the_same_listings() {
    let site_yaml = fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    // The demo's site.yaml names its postcode table.
    let table = fs::read_to_string(repo().join("data/postcodes.csv")).expect("the table");
    let demo_site = || {
        TestSite::new()
            .file("site.yaml", &site_yaml)
            .file("data/postcodes.csv", &table)
    };
    let first = demo_site();
    let services = demo_services();
    let file = first.root().join("feed.json");
    fs::write(&file, serde_json::to_vec(&services).expect("JSON")).expect("written");
    import(&first, &file.display().to_string());
    let published: BTreeMap<String, String> = listings(first.root())
        .into_iter()
        .filter(|(_, text)| !text.contains("\ndraft: true\n"))
        .collect();
    assert!(published.len() > 20, "only {} published", published.len());

    let server = common::serve::start(first.root());
    let second = demo_site();
    let report = import(
        &second,
        &format!("http://{}/api/services?per_page=7", server.address),
    );
    let expected = format!("Imported {} services.", published.len());
    assert!(report.contains(&expected), "{report}");
    let back = listings(second.root());
    assert_eq!(
        back.keys().collect::<Vec<_>>(),
        published.keys().collect::<Vec<_>>()
    );
    for (name, text) in &published {
        assert_eq!(&back[name], text, "{name} changed on the way through serve");
    }
}

/// The demo's full service documents, from its own export.
fn demo_services() -> Vec<Value> {
    let mut options = dayopps::build::BuildOptions::new(repo());
    options.today = Some(time::macros::date!(2026 - 06 - 01));
    let built = dayopps::build_in_memory(&options).expect("the demo builds");
    built
        .output
        .files
        .into_iter()
        // Each service's own file: not the list's index or its pages (`api/services/page/`).
        .filter(|(p, _)| {
            p.strip_prefix("api/services/")
                .is_some_and(|id| !id.contains('/') && id != "index.json")
        })
        .filter_map(|(_, c)| serde_json::from_slice(c.bytes()?).ok())
        .collect()
}

#[test]
fn any_draft_with_problems_is_named_by_check_and_left_out_of_the_build() {
    let draft = common::LISTING
        .replace("contact:\n  phone: 020 7946 0001\n", "")
        .replace(
            "updated: 2026-01-01\n",
            "updated: 2026-01-01\ndraft: true\n",
        );
    let site = TestSite::new().listing("garden-club.md", &draft);
    let built = dayopps::build_in_memory(&site.options()).expect("a draft cannot block it");
    assert_eq!(built.diagnostics.error_count(), 0);
    let warnings: Vec<String> = built
        .diagnostics
        .iter()
        .map(|d| format!("{}:{:?}: {}", d.file.name, d.line_col(), d.message))
        .collect();
    insta::assert_snapshot!("draft_problems_as_warnings", warnings.join("\n"));
    // The same listing published is an error.
    let published = TestSite::new().listing("garden-club.md", &draft.replace("draft: true\n", ""));
    assert!(published.errors().contains("`contact` is missing"));
}
