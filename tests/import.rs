//! `dayopps import oruk`: the UK profile's own example and the directory's own export, each
//! imported, built and exported again.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use common::{TestSite, repo};
use serde_json::{Value, json};

fn example() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oruk/example-service_full.json");
    serde_json::from_str(&fs::read_to_string(path).expect("the example")).expect("JSON")
}

/// Runs `dayopps import oruk` on `json` in `site`; returns its stderr.
fn import(site: &TestSite, json: &Value) -> String {
    let file = site.root().join("import.json");
    fs::write(&file, serde_json::to_vec(json).expect("JSON")).expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["import", "oruk"])
        .arg(&file)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("dayopps runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "import failed: {stderr}");
    stderr
}

/// Whether `path` is a service's own document, `api/services/<id>.json`, and not a page.
fn is_service_file(path: &str) -> bool {
    path.strip_prefix("api/services/")
        .is_some_and(|rest| !rest.contains('/') && rest != "index.json")
}

/// Builds with drafts (imports that need a look are drafts) and returns the API documents.
fn export(site: &TestSite) -> BTreeMap<String, Value> {
    let mut options = site.options();
    options.drafts = true;
    let built = dayopps::build_in_memory(&options).unwrap_or_else(|e| panic!("builds: {e}"));
    built
        .output
        .files
        .into_iter()
        .filter(|(p, _)| is_service_file(p))
        .filter_map(|(p, c)| Some((p, serde_json::from_slice(c.bytes()?).expect("JSON"))))
        .collect()
}

fn only(docs: &BTreeMap<String, Value>) -> &Value {
    assert_eq!(docs.len(), 1, "{docs:?}");
    docs.values().next().expect("one service")
}

#[test]
fn the_profile_example_survives_a_round_trip() {
    let site = TestSite::new();
    let original = example();
    let report = import(&site, &original);
    let back = export(&site);
    let s = only(&back);
    assert_eq!(s["id"], original["id"], "the id is kept");
    assert_eq!(s["name"], original["name"]);
    let description = original["description"].as_str().expect("text").trim();
    assert!(
        s["description"]
            .as_str()
            .expect("text")
            .starts_with(description)
    );
    assert_eq!(s["organization"]["name"], original["organization"]["name"]);
    assert_eq!(s["email"], original["email"]);
    assert_eq!(s["contacts"][0]["email"], original["email"]);
    assert_eq!(s["url"], original["url"]);
    let (before, after) = (&original["schedules"][0], &s["schedules"][0]);
    for key in ["freq", "byday", "opens_at", "closes_at"] {
        assert_eq!(after[key], before[key], "schedule {key}");
    }
    assert_eq!(s["cost_options"][0]["amount"], 35.0);
    // Its postcode is not a UK one, so the address is kept in the description and reported.
    assert!(
        s["description"]
            .as_str()
            .expect("text")
            .contains("1-30 Main Street, MyCity")
    );
    for word in ["Ann Persona", "Reception Manager", "bymonthday", "UPRN"] {
        assert!(report.contains(word), "{word} is not reported:\n{report}");
        assert!(
            s["description"].as_str().expect("text").contains(word),
            "{word} is lost"
        );
    }
    assert!(
        report.contains("filled in: `needs: [learning-disabilities]`"),
        "{report}"
    );
    assert!(report.contains("a draft"), "{report}");
}

/// The example with what a UK record would also have: a postcode, phones, named languages.
fn uk_example() -> Value {
    let mut s = example();
    let address = &mut s["service_at_locations"][0]["location"]["addresses"][0];
    address["postal_code"] = json!("e10 5qx");
    address["country"] = json!("GB");
    let location = &mut s["service_at_locations"][0]["location"];
    location["latitude"] = json!(51.5612);
    location["longitude"] = json!(-0.0105);
    s["phones"] =
        json!([{"id": "a3f7b8c2-0000-4000-8000-000000000001", "number": "020 7946 0999"}]);
    s["languages"] = json!([{"id": "a3f7b8c2-0000-4000-8000-000000000002", "name": "English"},
                            {"id": "a3f7b8c2-0000-4000-8000-000000000003", "name": "Polish"}]);
    s["service_areas"][0]["name"] = json!("North");
    s["attributes"] = json!([{"id": "a3f7b8c2-0000-4000-8000-000000000004",
        "taxonomy_term": {"id": "a3f7b8c2-0000-4000-8000-000000000005", "name": "Mental health",
                          "description": "Mental health", "taxonomy": "needs"}}]);
    s
}

#[test]
fn a_uk_record_keeps_its_place_phones_and_languages() {
    let site = TestSite::new();
    let report = import(&site, &uk_example());
    let s = only(&export(&site)).clone();
    assert_eq!(s["phones"][0]["number"], "020 7946 0999");
    let languages: Vec<&str> = s["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(languages, ["English", "Polish"]);
    let location = &s["service_at_locations"][0]["location"];
    assert_eq!(location["name"], "MyCity Civic Center");
    assert_eq!(location["latitude"], 51.5612);
    let address = &location["addresses"][0];
    assert_eq!(address["postal_code"], "E10 5QX");
    assert_eq!(
        format!(
            "{}, {}",
            address["address_1"].as_str().expect("a line"),
            address["city"].as_str().expect("a town")
        ),
        "1-30 Main Street, MyCity, MyRegion, MyState"
    );
    let needs: Vec<&str> = s["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter(|a| a["taxonomy_term"]["taxonomy"] == "needs")
        .filter_map(|a| a["taxonomy_term"]["term"].as_str())
        .collect();
    assert_eq!(
        needs,
        ["mental-health"],
        "a term of the site's vocabulary maps"
    );
    assert_eq!(s["service_areas"][0]["name"], "North");
    assert!(!report.contains("filled in: `needs"), "{report}");
    assert!(!report.contains("filled in: `area"), "{report}");
}

#[test]
fn import_never_overwrites_a_listing() {
    let site = TestSite::new().listing("community-counselling.md", "keep me");
    let file = site.root().join("import.json");
    fs::write(&file, serde_json::to_vec(&example()).expect("JSON")).expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["import", "oruk"])
        .arg(&file)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("dayopps runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let kept = fs::read_to_string(
        site.root()
            .join("content/listings/community-counselling.md"),
    );
    assert_eq!(kept.expect("still there"), "keep me");
}

#[test]
fn lists_and_pages_of_services_are_read() {
    let site = TestSite::new();
    let mut second = example();
    second["id"] = json!("b0000000-0000-4000-8000-000000000001");
    let page = json!({"total_items": 2, "contents": [example(), second]});
    let report = import(&site, &page);
    assert!(report.contains("Imported 2 services"), "{report}");
    let listings = site.root().join("content/listings");
    assert!(listings.join("community-counselling.md").exists());
    assert!(
        listings.join("community-counselling-2.md").exists(),
        "the same name gets a new file"
    );
}

/// The demo's full service documents, from its own export.
fn demo_services() -> Vec<Value> {
    let mut options = dayopps::build::BuildOptions::new(repo());
    options.today = Some(time::macros::date!(2026 - 11 - 23));
    let built = dayopps::build_in_memory(&options).expect("the demo builds");
    built
        .output
        .files
        .into_iter()
        .filter(|(p, _)| is_service_file(p))
        .filter_map(|(_, c)| serde_json::from_slice(c.bytes()?).ok())
        .collect()
}

#[test]
fn the_directory_own_export_comes_back_unchanged() {
    let demo_site = fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    let demo_table = fs::read_to_string(repo().join("data/postcodes.csv")).expect("the table");
    let site = TestSite::new()
        .file("site.yaml", &demo_site)
        .file("data/postcodes.csv", &demo_table);
    let originals = demo_services();
    import(&site, &Value::Array(originals.clone()));
    let back = export(&site);
    let mut compared = 0;
    for before in &originals {
        let id = before["id"].as_str().expect("an id");
        let after = &back[&format!("api/services/{id}.json")];
        // Images are files of the site they came from; they are reported, not imported.
        if before.get("x_images").is_some() {
            assert_eq!(after["name"], before["name"]);
            continue;
        }
        let changed: Vec<String> = before
            .as_object()
            .expect("an object")
            .iter()
            .chain(after.as_object().expect("an object"))
            .filter(|(k, _)| before.get(k.as_str()) != after.get(k.as_str()))
            .map(|(k, _)| format!("{k}: {} became {}", before[k.as_str()], after[k.as_str()]))
            .collect();
        assert!(
            changed.is_empty(),
            "{} changed:\n{}",
            before["name"],
            changed.join("\n")
        );
        compared += 1;
    }
    assert!(compared > 30, "only {compared} services compared");
}
