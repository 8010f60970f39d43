//! Near a postcode: the postcode table (site.yaml `postcodes:`), coordinates from it, the
//! warnings `check` gives, and `dayopps search --near`, checked against distances worked
//! out here from the demo's files (tests/common/near.rs). serve's answers are checked in
//! tests/serve.rs against the same expectations.

mod common;

use std::process::{Command, Output};

use common::near::{expected, miles_text};
use common::{LISTING, TestSite, built_demo, repo};

/// Postcodes the demo is asked about: one at a service's door, one in the north of the
/// borough, one in the east, and one in a neighbouring borough to the south.
pub const POSTCODES: [&str; 4] = ["E10 6QX", "E4 9EY", "E17 9PA", "E13 9PJ"];

fn search_demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .arg("search")
        .args(args)
        .arg("--root")
        .arg(repo())
        .arg("--output")
        .arg(built_demo())
        .env("NO_COLOR", "1")
        .output()
        .expect("dayopps runs")
}

#[test]
fn search_near_lists_the_demo_nearest_first_with_the_distances_worked_out_here() {
    for postcode in POSTCODES {
        let out = search_demo(&["--near", postcode, "--json", "--limit", "1000"]);
        assert!(out.status.success(), "{postcode}: {out:?}");
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(answer["near"], postcode);
        let hits = answer["hits"].as_array().expect("hits");
        let want = expected(postcode);
        let got_slugs: Vec<&str> = hits.iter().map(|h| h["slug"].as_str().unwrap()).collect();
        let want_slugs: Vec<&str> = want.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(got_slugs, want_slugs, "{postcode}: the order");
        for (hit, e) in hits.iter().zip(&want) {
            match &e.nearest {
                Some((miles, place)) => {
                    let got = hit["miles"].as_f64().expect("miles");
                    assert!(
                        (got - miles).abs() < 1e-4,
                        "{postcode} {}: {got} against {miles}",
                        e.slug
                    );
                    assert_eq!(hit["place"], place.as_str(), "{postcode} {}", e.slug);
                    assert_eq!(hit["distance"], format!("{}, {place}", miles_text(*miles)));
                }
                None => {
                    assert!(hit["miles"].is_null() && hit["place"].is_null(), "{hit}");
                    let why = hit["distance"].as_str().expect("a reason");
                    assert!(
                        ["Online", "At home", "Online or at home"].contains(&why),
                        "{why}"
                    );
                }
            }
        }
    }
}

#[test]
fn search_near_keeps_to_the_words_asked_for() {
    let out = search_demo(&["dementia", "--near", "E4 9EY", "--limit", "3"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Nearest to E4 9EY first:");
    assert_eq!(lines.len(), 4, "the limit applies after sorting: {text}");
    // The nearest services about dementia, worked out from the files.
    let dementia: Vec<String> = expected("E4 9EY")
        .into_iter()
        .filter(|e| {
            common::strings(common::demo_listings()[&e.slug].get("needs"))
                .contains(&"dementia".to_string())
        })
        .take(3)
        .map(|e| {
            let (m, place) = e.nearest.expect("a place");
            format!("({}): {}, {place}", e.slug, miles_text(m))
        })
        .collect();
    for (line, want) in lines[1..].iter().zip(&dementia) {
        assert!(line.ends_with(want.as_str()), "{line} / {want}");
    }
}

#[test]
fn search_near_explains_a_postcode_it_cannot_use() {
    let mut said = Vec::new();
    for typed in ["E10 9ZZ", "not a postcode", ""] {
        let out = search_demo(&["--near", typed]);
        assert!(!out.status.success(), "{typed}: fails");
        assert!(out.stdout.is_empty(), "{typed}: no list");
        said.push(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    insta::assert_snapshot!(said.join("\n"));
}

#[test]
fn a_site_without_a_table_says_so_and_shows_no_postcode_field() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("builds");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["search", "--near", "E10 6QX", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr).trim());
    for page in [
        "search/index.html",
        "needs/learning-disabilities/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("name=\"near\""), "{page}: no postcode field");
    }
    let facet = site.read("needs/learning-disabilities/index.html");
    assert!(
        facet.contains("/services/garden/"),
        "the facet page still lists"
    );
}

const TABLE: &str =
    "postcode,latitude,longitude\nE10 5QX,51.5612,-0.0105\nE10 6QX,51.5648,-0.0179\n";

fn site_with_table(table: &str) -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            &format!("{}postcodes: data/postcodes.csv\n", common::SITE),
        )
        .file("data/postcodes.csv", table)
}

#[test]
fn places_without_coordinates_take_the_tables() {
    let site = site_with_table(TABLE).listing("garden.md", LISTING);
    let built = site.build().expect("builds");
    assert!(built.diagnostics.is_empty(), "{}", built.diagnostics);
    let place = &built.site.listings[0].locations[0];
    assert_eq!(place.lat_lon, Some((51.5612, -0.0105)));
    let page = site.read("services/garden/index.html");
    assert!(
        page.contains("51.5612") && page.contains("-0.0105"),
        "JSON-LD has the place"
    );
    let html = site.read("needs/learning-disabilities/index.html");
    assert!(
        html.contains("autocomplete=\"postal-code\""),
        "the near form is there"
    );
}

#[test]
fn check_warns_about_postcodes_not_in_the_table_and_coordinates_far_from_theirs() {
    let site = site_with_table(TABLE)
        .listing_with("unknown.md", "postcode: E10 5QX", "postcode: E10 7ZZ")
        .listing_with(
            "far.md",
            "postcode: E10 5QX",
            "postcode: E10 5QX\n    lat: 51.4\n    lon: -0.0105",
        )
        .listing_with(
            "near.md",
            "postcode: E10 5QX",
            "postcode: E10 5QX\n    lat: 51.5620\n    lon: -0.0110",
        );
    let d = dayopps::build::check(&site.options()).expect("checks");
    assert_eq!(d.error_count(), 0, "{d}");
    insta::assert_snapshot!(d.to_string());
}

#[test]
fn a_bad_table_is_reported_row_by_row_in_one_run() {
    let site = site_with_table(
        "pcds,lat,long\nE10 6QX,51.5648,-0.0179\n\"=HYPERLINK(\"\"http://evil.example\"\")\",51.5,-0.01\nE10 6QY,\"51.5\"\"; DROP\",-0.01\nE10 6QZ,51.5,NaN\nE10 6QX,51.6,-0.0179\n",
    )
    .listing("garden.md", LISTING);
    insta::assert_snapshot!(site.errors());
}

#[test]
fn a_table_without_the_columns_needed_is_one_clear_problem() {
    let site = site_with_table("pcd,x,y\nE10 6QX,1,2\n").listing("garden.md", LISTING);
    insta::assert_snapshot!(site.errors());
}

/// The table site.yaml names, with `name` in place of data/postcodes.csv.
fn site_naming(name: &str) -> TestSite {
    TestSite::new().file("site.yaml", &format!("{}postcodes: {name}\n", common::SITE))
}

#[test]
fn a_table_outside_the_site_or_missing_is_refused_at_the_postcodes_line() {
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::write(outside.path().join("t.csv"), TABLE).expect("written");
    let mut problems = Vec::new();
    for name in [
        "../t.csv".to_string(),
        "data/../../t.csv".to_string(),
        outside.path().join("t.csv").display().to_string(),
        "data/missing.csv".to_string(),
        "data".to_string(),
    ] {
        let site = site_naming(&name)
            .file("data/other.csv", TABLE)
            .listing("garden.md", LISTING);
        let errors = site.errors();
        assert!(
            errors.contains("site.yaml:9:12"),
            "{name}: at the line: {errors}"
        );
        assert!(!errors.contains("root:"), "{name}");
        problems.push(errors.replace(&outside.path().display().to_string(), "OUTSIDE"));
    }
    insta::assert_snapshot!(problems.join("\n"));
}

#[test]
fn a_linked_binary_or_huge_table_is_refused() {
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::write(outside.path().join("t.csv"), TABLE).expect("written");
    let linked = site_naming("data/postcodes.csv").listing("garden.md", LISTING);
    std::fs::create_dir_all(linked.root().join("data")).expect("folder");
    std::os::unix::fs::symlink(
        outside.path().join("t.csv"),
        linked.root().join("data/postcodes.csv"),
    )
    .expect("symlink");
    let linked_folder = site_naming("data/postcodes.csv").listing("garden.md", LISTING);
    std::os::unix::fs::symlink(outside.path(), linked_folder.root().join("data")).expect("symlink");
    let binary = site_naming("data/postcodes.csv")
        .listing("garden.md", LISTING)
        .file("data/placeholder", "");
    std::fs::write(
        binary.root().join("data/postcodes.csv"),
        b"pcds,lat,long\n\xff\xfe\x00\x01",
    )
    .expect("written");
    let huge = site_naming("data/postcodes.csv")
        .listing("garden.md", LISTING)
        .file("data/placeholder", "");
    let row = "E10 6QX,51.5648,-0.0179\n";
    let big = row.repeat((16 * 1024 * 1024) / row.len() + 1);
    std::fs::write(huge.root().join("data/postcodes.csv"), big).expect("written");
    let said: Vec<String> = [linked, linked_folder, binary, huge]
        .iter()
        .map(TestSite::errors)
        .collect();
    insta::assert_snapshot!(said.join("\n"));
}

#[test]
fn a_changed_table_is_noticed_by_a_rebuild() {
    let site = site_with_table(TABLE).listing("garden.md", LISTING);
    let mut reuse = dayopps::reuse::Reuse::new();
    let first = dayopps::build::rebuild_in_memory(&site.options(), &mut reuse).expect("builds");
    assert_eq!(
        first.site.listings[0].locations[0].lat_lon,
        Some((51.5612, -0.0105))
    );
    let moved = TABLE.replace("51.5612,-0.0105", "51.5700,-0.0200");
    let site = site.file("data/postcodes.csv", &moved);
    let second = dayopps::build::rebuild_in_memory(&site.options(), &mut reuse).expect("builds");
    assert_eq!(
        second.site.listings[0].locations[0].lat_lon,
        Some((51.57, -0.02))
    );
}
