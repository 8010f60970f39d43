//! The search index of the demo site, queried as `dayopps search` queries it.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use common::repo;
use dayopps::build::BuildOptions;
use dayopps::search::{Query, SearchIndex};

/// The demo, built once for all the tests here.
fn demo() -> &'static PathBuf {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("public");
        let mut options = BuildOptions::new(repo());
        options.output = Some(out.clone());
        options.today = Some(time::macros::date!(2026 - 11 - 23));
        dayopps::build(&options).expect("the demo builds");
        (dir, out)
    })
    .1
}

fn top(text: &str, filters: &[(&str, &str)], n: usize) -> Vec<String> {
    let index = SearchIndex::open(demo()).expect("the index opens");
    let query = Query {
        text: text.to_string(),
        filters: filters
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect(),
    };
    index
        .search(&query, n)
        .expect("searches")
        .into_iter()
        .map(|h| h.slug)
        .collect()
}

fn assert_in_top(text: &str, filters: &[(&str, &str)], n: usize, slug: &str) {
    let found = top(text, filters, n);
    assert!(
        found.iter().any(|s| s == slug),
        "{text:?} {filters:?}: {slug} not in top {n}: {found:?}"
    );
}

#[test]
fn words_stems_and_several_words() {
    assert_in_top("gardening", &[], 3, "riverside-garden-project");
    assert_in_top("gardens", &[], 3, "riverside-garden-project");
    assert_in_top("cycling", &[], 1, "freewheel-inclusive-cycling");
    assert_in_top("dementia saturday", &[], 3, "maple-lodge-day-club");
    for slug in top("dementia saturday", &[], 10) {
        assert!(
            top("dementia", &[], 50).contains(&slug),
            "every word must match: {slug}"
        );
    }
}

#[test]
fn typos_prefixes_and_synonyms() {
    assert_in_top("demensia", &[], 3, "hollow-green-memory-cafe");
    assert_in_top("gardning", &[], 3, "riverside-garden-project");
    assert_in_top("gard", &[], 3, "riverside-garden-project");
    assert_in_top("bike", &[], 1, "freewheel-inclusive-cycling");
    assert_in_top("memory loss", &[], 3, "hollow-green-memory-cafe");
    assert!(
        !top("LD", &[], 10).is_empty(),
        "a vocabulary synonym finds its services"
    );
}

#[test]
fn exact_matches_come_before_near_misses() {
    // "art" is a word in the index, so it is not widened to "arts"-like near misses.
    let found = top("cafe", &[], 3);
    assert_eq!(
        found.first().map(String::as_str),
        Some("hollow-green-memory-cafe"),
        "{found:?}"
    );
}

#[test]
fn filters_are_or_within_and_and_across_facets() {
    let dementia = top("", &[("needs", "dementia")], 100);
    let autism = top("", &[("needs", "autism")], 100);
    let either = top("", &[("needs", "dementia"), ("needs", "autism")], 100);
    assert!(!dementia.is_empty() && !autism.is_empty());
    for s in dementia.iter().chain(&autism) {
        assert!(either.contains(s), "OR within a facet: {s}");
    }
    let saturday = top("", &[("days", "sat")], 100);
    assert_eq!(
        saturday,
        top("", &[("days", "saturday")], 100),
        "days by key or by name"
    );
    let both = top("", &[("needs", "dementia"), ("days", "sat")], 100);
    for s in &both {
        assert!(
            dementia.contains(s) && saturday.contains(s),
            "AND across facets: {s}"
        );
    }
    assert!(both.len() < dementia.len());
}

#[test]
fn the_cli_prints_json_and_explains_a_missing_index() {
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["search", "gardening", "--json", "--limit", "2", "--root"])
        .arg(repo())
        .env("DAYOPPS_UNUSED", "1")
        .output()
        .expect("runs");
    // The repository's own public/ may not be built; the error must say so.
    if out.status.success() {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["query"], "gardening");
    } else {
        assert!(String::from_utf8_lossy(&out.stderr).contains("run `dayopps build` first"));
    }
    let empty = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["search", "x", "--root"])
        .arg(empty.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no search index"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two builds write the same index only if it is one segment, with every listing, under the
/// name the build gives it (tantivy names segments at random); the browser's index, read from
/// it, takes its document numbers as the services' places in the list.
#[test]
fn the_index_is_one_segment_of_every_listing_under_a_fixed_name() {
    let dir = demo().join("search/index");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the index folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let segment = "00000000000000000000000000000001";
    assert!(
        names
            .iter()
            .all(|n| n == "meta.json" || n.starts_with(&format!("{segment}."))),
        "{names:?}"
    );
    let read_json = |path: PathBuf| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
    };
    let meta = read_json(dir.join("meta.json"));
    let segments = meta["segments"].as_array().expect("a list of segments");
    assert_eq!(segments.len(), 1, "{meta:#}");
    assert_eq!(
        segments[0]["segment_id"],
        "00000000-0000-0000-0000-000000000001"
    );
    let listings = read_json(demo().join("search/meta.json"))["count"].clone();
    assert!(listings.as_u64() > Some(10), "{listings}");
    assert_eq!(segments[0]["max_doc"], listings);
}
