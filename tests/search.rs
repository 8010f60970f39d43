//! The search index of the demo site, queried as `dayopps search` queries it.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{built_demo, repo};
use dayopps::search::{Query, SearchIndex};

fn top(text: &str, filters: &[(&str, &str)], n: usize) -> Vec<String> {
    let index = SearchIndex::open(built_demo()).expect("the index opens");
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
    let dir = built_demo().join("search/index");
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
    let listings = read_json(built_demo().join("search/meta.json"))["count"].clone();
    assert!(listings.as_u64() > Some(10), "{listings}");
    assert_eq!(segments[0]["max_doc"], listings);
}

/// The index writer's memory is bounded (src/search/segments.rs): with no budget at all,
/// every listing is written in a segment of its own and the segments merged. The browser's
/// index, read from it, is the same to the byte as from one segment, tantivy answers the
/// same, and the merged index is the same every build.
#[test]
fn an_index_written_in_many_segments_answers_as_one() {
    use dayopps::memo::Memo;
    use dayopps::search::{SEGMENT_BUDGET, build_index_in_segments};

    let mut options = dayopps::BuildOptions::new(repo());
    options.today = Some(time::macros::date!(2026 - 11 - 23));
    let (site, _) = dayopps::build::load_site(&options).expect("the demo loads");
    let written = |budget| build_index_in_segments(&site, &Memo::off(), budget).expect("written");
    let whole = written(SEGMENT_BUDGET);
    let cut = written(0);
    let tantivy = |files: &[(String, Vec<u8>)]| files.iter().any(|(p, _)| p.starts_with(INDEX));
    let others = |files: &[(String, Vec<u8>)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .filter(|(p, _)| !p.starts_with(INDEX))
            .cloned()
            .collect()
    };
    assert!(tantivy(&whole) && tantivy(&cut));
    assert_eq!(
        others(&cut),
        others(&whole),
        "the browser's index and synonyms"
    );
    assert_eq!(cut, written(0), "the same bytes every build");

    let opened = |files: &[(String, Vec<u8>)]| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (path, bytes) in files {
            let to = dir.path().join(path);
            std::fs::create_dir_all(to.parent().expect("in a folder")).expect("a folder");
            std::fs::write(to, bytes).expect("written");
        }
        let index = SearchIndex::open(dir.path()).expect("the index opens");
        (dir, index)
    };
    let ((_a, whole), (_b, cut)) = (opened(&whole), opened(&cut));
    for text in ["garden", "dementia", "cooking club", "autism"] {
        let query = Query {
            text: text.to_string(),
            filters: Vec::new(),
        };
        let slugs = |index: &SearchIndex| -> Vec<(String, String)> {
            let hits = index.search(&query, 50).expect("searches");
            hits.into_iter()
                .map(|h| (h.slug, format!("{:.6}", h.score)))
                .collect()
        };
        let found = slugs(&cut);
        assert!(!found.is_empty(), "{text}");
        assert_eq!(found, slugs(&whole), "{text}");
    }
}

/// The tantivy index's folder in the output, for the test above.
const INDEX: &str = "search/index/";

mod near_files {
    //! The browser's near-me files (docs/search.md, "Near me"), on fixture sites.

    use super::common::{LISTING, TestSite};
    use serde_json::{Value, json};

    const TABLE: &str = "postcode,latitude,longitude\n\
        E10 5QX,51.5612,-0.0105\n\
        E10 5QY,51.561234567,-0.010987654\n\
        E10 6QX,51.5689,-0.0132\n\
        E4 8HZ,51.6171,-0.0059\n";

    /// An online service: no place to go to.
    const ONLINE: &str = "\
---
title: Online Club
provider: Net Trust
summary: Sessions on the internet.
needs: [learning-disabilities]
service_types: [virtual]
area: north
schedule:
  - days: [mon]
    from: \"09:30\"
    to: \"15:00\"
funding: [commissioned]
referral: [self-referral]
contact:
  phone: 020 7946 0002
updated: 2026-01-01
easy_read: We meet online.
---
We meet online.
";

    /// Garden Club (one place), Online Club (none), Two Places (one named with hostile
    /// text, one with no name) and Unknown Place (a postcode the table does not hold).
    fn site(table: bool) -> TestSite {
        let two = LISTING
            .replace("title: Garden Club\n", "title: Two Places\n")
            .replace(
                "  - name: The Hub\n    address: 1 High Street\n    postcode: E10 5QX\n",
                "  - name: \"\\\"</script><b>Hub\"\n    address: 1 High Street\n    postcode: E4 8HZ\n  - address: 2 Low Road\n    postcode: E10 5QY\n",
            );
        let unknown = LISTING
            .replace("title: Garden Club\n", "title: Unknown Place\n")
            .replace("postcode: E10 5QX", "postcode: N1 1AA");
        let mut site = TestSite::new()
            .listing("garden-club.md", LISTING)
            .listing("online-club.md", ONLINE)
            .listing("two-places.md", &two)
            .listing("unknown-place.md", &unknown);
        if table {
            site = site.file("data/postcodes.csv", TABLE).file(
                "site.yaml",
                &format!("{}postcodes: data/postcodes.csv\n", super::common::SITE),
            );
        }
        site
    }

    fn json_of(site: &TestSite, rel: &str) -> Value {
        serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    #[test]
    fn without_a_postcode_table_there_are_none() {
        let site = site(false);
        site.build().expect("the site builds");
        let meta = json_of(&site, "search/meta.json");
        assert!(meta.get("near").is_none(), "{meta}");
        assert!(!site.root().join("public/search/postcodes").exists());
        assert!(!site.root().join("public/search/places").exists());
        let docs = json_of(&site, "search/docs/0.json");
        assert!(docs.as_array().is_some_and(|d| {
            d.iter()
                .all(|r| r.get("p").is_none() && r.get("w").is_none())
        }));
        assert!(!site.read("search/index.html").contains("name=\"near\""));
    }

    #[test]
    fn with_one_the_table_is_sharded_and_places_point_into_names() {
        let site = site(true);
        site.build().expect("the site builds");
        assert_eq!(
            json_of(&site, "search/postcodes/E10-5.json"),
            json!({"E10 5QX": [51.5612, -0.0105], "E10 5QY": [51.561234567, -0.010987654]})
        );
        assert_eq!(
            json_of(&site, "search/postcodes/E10-6.json"),
            json!({"E10 6QX": [51.5689, -0.0132]})
        );
        assert_eq!(
            json_of(&site, "search/postcodes/E4-8.json"),
            json!({"E4 8HZ": [51.6171, -0.0059]})
        );
        // Docs in title order: Garden Club, Online Club, Two Places, Unknown Place.
        let docs = json_of(&site, "search/docs/0.json");
        let titles: Vec<&str> = docs
            .as_array()
            .map(|d| d.iter().filter_map(|r| r["t"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            titles,
            ["Garden Club", "Online Club", "Two Places", "Unknown Place"]
        );
        assert_eq!(docs[0]["p"], json!(["The Hub"]));
        assert_eq!(docs[1]["w"], json!("Online"));
        assert_eq!(docs[2]["p"], json!(["\"</script><b>Hub", "2 Low Road"]));
        assert_eq!(docs[3]["w"], json!("Distance not known"));
        assert_eq!(
            json_of(&site, "search/places/all.json"),
            json!([
                [0, 51.5612, -0.0105, 0],
                [2, 51.6171, -0.0059, 0],
                [2, 51.561234567, -0.010987654, 1]
            ])
        );
        let meta = json_of(&site, "search/meta.json");
        assert_eq!(
            meta["near"],
            json!({"cell": null, "none": [1, 2], "example": "E10 6QX"})
        );
        // The forms take a postcode.
        assert!(site.read("search/index.html").contains("name=\"near\""));
    }

    #[test]
    fn two_builds_make_the_same_bytes() {
        let site = site(true);
        site.build().expect("the first build");
        let read = |site: &TestSite| -> Vec<(String, String)> {
            [
                "search/meta.json",
                "search/places/all.json",
                "search/postcodes/E10-5.json",
                "search/docs/0.json",
            ]
            .iter()
            .map(|f| (f.to_string(), site.read(f)))
            .collect()
        };
        let first = read(&site);
        site.build().expect("the second build");
        assert_eq!(first, read(&site));
    }
}

mod browser_files {
    //! The browser index's facet files and records (docs/search.md), on a fixture site.

    use super::common::{LISTING, TestSite};
    use base64::Engine as _;
    use serde_json::Value;

    fn json_of(site: &TestSite, rel: &str) -> Value {
        serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A doc set as the files write it: gaps, or a base64 bitset.
    fn docs_of(set: &Value) -> Vec<usize> {
        if let Some(text) = set.as_str() {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text)
                .expect("base64");
            return (0..bytes.len() * 8)
                .filter(|d| bytes[d / 8] & (1 << (d % 8)) != 0)
                .collect();
        }
        let mut at = 0;
        set.as_array()
            .expect("gaps")
            .iter()
            .map(|gap| {
                at += gap.as_u64().expect("a number") as usize;
                at
            })
            .collect()
    }

    #[test]
    fn facets_are_a_file_each_and_records_make_their_urls() {
        let dementia = LISTING
            .replace("title: Garden Club\n", "title: Memory Cafe\n")
            .replace("needs: [", "needs: [dementia, ");
        let site = TestSite::new()
            .listing("garden-club.md", LISTING)
            .listing("memory-cafe.md", &dementia);
        site.build().expect("the site builds");
        let meta = json_of(&site, "search/meta.json");
        assert_eq!(meta["version"], 5);
        let facets = meta["facets"].as_array().expect("facets");
        for (n, facet) in facets.iter().enumerate() {
            let values = facet["values"].as_array().expect("values");
            assert!(values.iter().all(|v| v.get("docs").is_none()), "{facet}");
            let sets = json_of(&site, &format!("search/facets/{n}.json"));
            assert_eq!(sets.as_array().map(Vec::len), Some(values.len()), "{sets}");
        }
        assert!(
            !site
                .root()
                .join(format!("public/search/facets/{}.json", facets.len()))
                .exists()
        );
        // Docs in title order: Garden Club (0), Memory Cafe (1).
        let needs = facets
            .iter()
            .position(|f| f["key"] == "needs")
            .expect("needs");
        let at = facets[needs]["values"]
            .as_array()
            .and_then(|v| v.iter().position(|v| v["key"] == "dementia"))
            .expect("dementia");
        let sets = json_of(&site, &format!("search/facets/{needs}.json"));
        assert_eq!(docs_of(&sets[at]), [1]);
        // A record has no URL: meta's `services` and its id make it, a page the site has.
        let docs = json_of(&site, "search/docs/0.json");
        assert!(docs[1].get("u").is_none(), "{}", docs[1]);
        let url = format!(
            "{}{}/",
            meta["services"].as_str().expect("services"),
            docs[1]["id"].as_str().expect("id")
        );
        assert_eq!(url, "/services/memory-cafe/");
        assert!(
            site.root()
                .join("public/services/memory-cafe/index.html")
                .is_file()
        );
    }
}
