//! Open data: the ORUK export checked against the UK profile's own schemas, and the JSON-LD,
//! Atom feed and CSV parsed back.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use common::atom::{ATOM, child_text};
use common::{LISTING, TestSite, repo};
use dayopps::build::BuildOptions;
use dayopps::write::Content;
use serde_json::{Value, json};

/// The demo's output in memory, built once for every test here.
fn demo() -> &'static BTreeMap<String, Vec<u8>> {
    static DEMO: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    DEMO.get_or_init(|| {
        let mut options = BuildOptions::new(repo());
        options.today = Some(time::macros::date!(2026 - 11 - 23));
        let built = dayopps::build_in_memory(&options).expect("the demo builds");
        contents(built.output)
    })
}

fn contents(output: dayopps::write::Output) -> BTreeMap<String, Vec<u8>> {
    output
        .files
        .into_iter()
        .filter_map(|(path, c)| match c {
            Content::Bytes(b) => Some((path, b)),
            Content::Shared(b) => Some((path, b.to_vec())),
            Content::Copy(_) | Content::Written => None,
        })
        .collect()
}

fn json_at(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn oruk_file(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oruk")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).expect("a schema")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("a usable schema")
}

/// Every problem of `doc` against `v`, each with the document's path.
fn problems(v: &jsonschema::Validator, path: &str, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{path} at {}: {e}", e.instance_path()))
        .collect()
}

/// The profile defines no schema for the Page wrapper; this is its shape in the HSDS API.
fn page_schema() -> Value {
    let count = json!({"type": "integer", "minimum": 0});
    let flag = json!({"type": "boolean"});
    json!({
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                     "last_page", "empty", "contents"],
        "properties": {
            "total_items": count, "total_pages": count, "page_number": count, "size": count,
            "first_page": flag, "last_page": flag, "empty": flag,
            "contents": {"type": "array"}
        }
    })
}

fn root_schema() -> Value {
    json!({
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"}
        }
    })
}

/// A term as services embed it, from the profile's service schema.
fn term_schema(service: &Value) -> Value {
    service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"].clone()
}

fn taxonomy_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name", "description"],
        "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
                       "description": {"type": "string"}}
    })
}

/// Validates a Page and each of its items.
fn check_page(
    files: &BTreeMap<String, Vec<u8>>,
    path: &str,
    item: &jsonschema::Validator,
) -> Vec<String> {
    let page = json_at(files, path);
    let mut found = problems(&validator(&page_schema()), path, &page);
    for (i, c) in page["contents"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        found.extend(problems(item, &format!("{path} contents[{i}]"), c));
    }
    found
}

#[test]
fn every_exported_document_validates_against_the_uk_profile() {
    let files = demo();
    let service_schema = oruk_file("schema-service.json");
    let service = validator(&service_schema);
    let broken = json!({"id": "not-a-uuid", "name": "X", "email": "nope"});
    assert_eq!(
        problems(&service, "broken", &broken).len(),
        3,
        "the schema is really applied"
    );
    let api: Vec<&String> = files.keys().filter(|p| p.starts_with("api/")).collect();
    let service_list = validator(&oruk_file("schema-service_list.json"));
    let place_list = validator(&oruk_file("schema-service_at_location_list.json"));
    let taxonomy = validator(&taxonomy_schema());
    let term = validator(&term_schema(&service_schema));
    let mut checked = 0;
    let mut found = Vec::new();
    for path in &api {
        // A list's page 1 at its folder, or any page at `page/<n>.json`; else an object.
        let (list, rest) = path["api/".len()..].split_once('/').unwrap_or(("", ""));
        let is_page = rest == "index.json" || rest.starts_with("page/");
        found.extend(match (list, is_page) {
            ("", _) => problems(&validator(&root_schema()), path, &json_at(files, path)),
            ("services", true) => check_page(files, path, &service_list),
            ("service_at_locations", true) => check_page(files, path, &place_list),
            ("taxonomies", true) => check_page(files, path, &taxonomy),
            ("taxonomy_terms", true) => check_page(files, path, &term),
            ("services" | "service_at_locations", false) => {
                problems(&service, path, &json_at(files, path))
            }
            ("taxonomies", false) => problems(&taxonomy, path, &json_at(files, path)),
            ("taxonomy_terms", false) => problems(&term, path, &json_at(files, path)),
            _ => panic!("{path} is exported but not validated here"),
        });
        checked += 1;
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
    let services = json_at(files, "api/services/index.json");
    assert_eq!(services["total_items"], 47);
    let objects = 47 + 46 + 10 + 77;
    let pages = 1 + 1 + 1 + 2;
    assert_eq!(
        checked,
        1 + objects + pages + 4,
        "the root, every object and every page (and page 1 at the bare path)"
    );
}

/// Empty values are left out, not written as null ([] and {} likewise).
fn assert_no_empties(path: &str, v: &Value) {
    match v {
        Value::Null => panic!("{path} is null"),
        Value::Array(a) if a.is_empty() && !path.ends_with("contents") => {
            panic!("{path} is an empty list")
        }
        Value::Object(o) if o.is_empty() => panic!("{path} is an empty object"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_no_empties(&format!("{path}[{i}]"), x)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_no_empties(&format!("{path}.{k}"), x)),
        Value::String(s) if s.is_empty() && !path.ends_with("state_province") => {
            panic!("{path} is empty")
        }
        _ => {}
    }
}

#[test]
fn exported_documents_have_no_nulls_or_empty_values() {
    for (path, _) in demo().iter().filter(|(p, _)| p.starts_with("api/")) {
        assert_no_empties(path, &json_at(demo(), path));
    }
}

fn riverside() -> Value {
    let index = json_at(demo(), "api/services/index.json");
    let item = index["contents"]
        .as_array()
        .and_then(|c| c.iter().find(|s| s["name"] == "Riverside Garden Project"))
        .expect("Riverside in the list")
        .clone();
    let id = item["id"].as_str().expect("an id");
    json_at(demo(), &format!("api/services/{id}.json"))
}

#[test]
fn a_service_carries_every_field_of_its_listing() {
    let s = riverside();
    assert_eq!(s["organization"]["name"], "Riverside Community Trust");
    assert_eq!(s["email"], "hello@riverside.example");
    assert_eq!(s["phones"][0]["number"], "020 7946 0123");
    assert_eq!(s["contacts"][0]["phones"][0]["number"], "020 7946 0123");
    schedules_and_costs_are_riversides(&s);
    let names: Vec<&str> = s["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(names, ["English", "Urdu", "Polish"]);
    the_location_is_riversides(&s["service_at_locations"][0]["location"]);
    every_vocabulary_and_extension_is_there(&s);
    assert_eq!(s["x_accredited"], true);
    assert!(
        s["accreditations"]
            .as_str()
            .is_some_and(|a| a.contains("Disability Confident employer"))
    );
}

fn schedules_and_costs_are_riversides(s: &Value) {
    let week = &s["schedules"][0];
    assert_eq!(week["freq"], "WEEKLY");
    assert_eq!(week["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(week["opens_at"], "09:30:00");
    assert_eq!(week["closes_at"], "15:30:00");
    assert_eq!(s["schedules"][1]["byday"], "SA");
    assert_eq!(s["cost_options"][0]["amount"], 45.0);
    assert_eq!(s["cost_options"][0]["currency"], "GBP");
    assert_eq!(s["cost_options"][0]["amount_description"], "per session");
}

fn the_location_is_riversides(location: &Value) {
    assert_eq!(location["addresses"][0]["postal_code"], "E10 6QX");
    assert_eq!(
        location["addresses"][0]["address_1"],
        "12 Towpath Lane, Ashbrook"
    );
    assert_eq!(location["addresses"][0]["city"], "London");
    assert_eq!(location["latitude"], 51.5648);
    assert_eq!(
        location["accessibility"][0]["description"],
        "Step-free access"
    );
}

/// ORUK has no fields of its own for these: they travel as attributes and `x_` extensions.
fn every_vocabulary_and_extension_is_there(s: &Value) {
    let taxonomies: std::collections::BTreeSet<&str> = s["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .filter_map(|a| a["taxonomy_term"]["taxonomy"].as_str())
        .collect();
    for t in [
        "needs",
        "service_types",
        "activities",
        "funding",
        "referral",
        "outcomes",
        "accessibility",
        "areas",
        "vacancies",
        "disability_confident",
    ] {
        assert!(taxonomies.contains(t), "no attribute for {t}");
    }
    for x in [
        "x_summary",
        "x_easy_read",
        "x_progression",
        "x_transport",
        "x_web_page",
    ] {
        assert!(s[x].is_string(), "{x} is missing");
    }
}

#[test]
fn the_taxonomies_list_every_term_that_attributes_link() {
    let first = json_at(demo(), "api/taxonomy_terms/index.json");
    let pages = first["total_pages"].as_u64().expect("total_pages");
    assert!(pages > 1, "the demo's terms take more than a page");
    let lists: Vec<Value> = (1..=pages)
        .map(|n| json_at(demo(), &format!("api/taxonomy_terms/page/{n}.json")))
        .collect();
    assert_eq!(
        lists[0], first,
        "page 1 at the bare path and at page/1.json"
    );
    let ids: std::collections::BTreeSet<&str> = lists
        .iter()
        .flat_map(|page| page["contents"].as_array().expect("terms"))
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(
        ids.len() as u64,
        first["total_items"].as_u64().expect("total")
    );
    let taxonomies = json_at(demo(), "api/taxonomies/index.json");
    assert_eq!(taxonomies["total_items"], 10);
    for a in riverside()["attributes"].as_array().expect("attributes") {
        let id = a["taxonomy_term_id"].as_str().expect("a term id");
        assert!(ids.contains(id), "term {id} is not in the taxonomy terms");
        let term = json_at(demo(), &format!("api/taxonomy_terms/{id}.json"));
        assert_eq!(
            term, a["taxonomy_term"],
            "the term by its id is the one linked"
        );
    }
}

#[test]
fn the_root_document_names_the_profile() {
    let root = json_at(demo(), "api/index.json");
    assert_eq!(root["version"], "3.0");
    assert!(
        root["openapi_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("openapi.json"))
    );
}

fn built(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    contents(
        dayopps::build_in_memory(&site.options())
            .expect("builds")
            .output,
    )
}

#[test]
fn ids_come_from_the_id_field_or_the_address_and_slug() {
    let given = "5b0f8a3e-0c1d-4e2b-9a8f-6d5c4b3a2e1f";
    let site = TestSite::new()
        .listing("garden-club.md", LISTING)
        .listing_with(
            "other.md",
            "title: Garden Club",
            &format!("id: {given}\ntitle: Other Club"),
        );
    let files = built(&site);
    let made = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://example.gov.uk/services/garden-club/",
    );
    assert!(files.contains_key(&format!("api/services/{made}.json")));
    assert!(files.contains_key(&format!("api/services/{given}.json")));
    assert_eq!(files, built(&site), "the same content gives the same bytes");
}

#[test]
fn a_malformed_id_is_explained() {
    let site = TestSite::new().listing_with(
        "garden.md",
        "title: Garden Club",
        "id: 1234\ntitle: Garden Club",
    );
    let errors = site.errors();
    assert!(errors.contains("`1234` is not a UUID"), "{errors}");
    assert!(errors.contains("garden.md:2:5"), "{errors}");
}

fn head_json_ld(html: &str) -> Value {
    let doc = scraper::Html::parse_document(html);
    let selector =
        scraper::Selector::parse(r#"head script[type="application/ld+json"]"#).expect("a selector");
    let script = doc
        .select(&selector)
        .next()
        .expect("a JSON-LD script in the head");
    serde_json::from_str(&script.text().collect::<String>()).expect("JSON-LD parses")
}

#[test]
fn listing_pages_describe_the_service_in_json_ld() {
    let page = demo()
        .get("services/riverside-garden-project/index.html")
        .expect("the page");
    let ld = head_json_ld(&String::from_utf8_lossy(page));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Service");
    assert_eq!(ld["provider"]["@type"], "Organization");
    assert_eq!(ld["provider"]["name"], "Riverside Community Trust");
    assert_eq!(ld["areaServed"]["name"], "Ashbrook");
    assert_eq!(ld["audience"][0]["audienceType"], "Learning disabilities");
    assert_eq!(ld["offers"][0]["priceCurrency"], "GBP");
    assert_eq!(ld["offers"][0]["price"], "45.00");
    assert_eq!(ld["hoursAvailable"][0]["opens"], "09:30");
    assert_eq!(
        ld["hoursAvailable"][0]["dayOfWeek"][0],
        "https://schema.org/Monday"
    );
    let place = &ld["availableChannel"]["serviceLocation"][0];
    assert_eq!(place["address"]["@type"], "PostalAddress");
    assert_eq!(place["address"]["postalCode"], "E10 6QX");
    assert_eq!(place["geo"]["latitude"], 51.5648);
    assert_eq!(place["openingHoursSpecification"][1]["closes"], "14:00");
    assert_eq!(
        place["amenityFeature"][0]["@type"],
        "LocationFeatureSpecification"
    );
    assert_eq!(place["amenityFeature"][0]["value"], true);
}

#[test]
fn json_ld_cannot_end_its_script_early() {
    let hostile = "Tea</script><script>alert(1)</script>";
    let site = TestSite::new().listing_with(
        "garden-club.md",
        "title: Garden Club",
        &format!("title: \"{hostile}\""),
    );
    site.build().expect("builds");
    let html = site.read("services/garden-club/index.html");
    // (The <title> holds the same text, but a title ends only at </title>.)
    assert!(
        html.contains(r"Tea\u003c/script>\u003cscript>alert(1)\u003c/script>"),
        "{html}"
    );
    assert_eq!(head_json_ld(&html)["name"], hostile);
}

#[test]
fn the_atom_feed_lists_services_newest_first() {
    let text = String::from_utf8(demo()["feed.xml"].clone()).expect("UTF-8");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    the_feed_names_the_directory_and_its_council(feed);
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 47);
    let updated: Vec<String> = entries
        .iter()
        .filter_map(|e| child_text(*e, "updated"))
        .collect();
    assert_eq!(updated.len(), 47);
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );
    assert_eq!(child_text(feed, "updated"), Some(updated[0].clone()));
    let services = json_at(demo(), "api/services/index.json");
    for e in &entries {
        let id = child_text(*e, "id").expect("an entry id");
        let uuid = id.strip_prefix("urn:uuid:").expect("a urn:uuid id");
        assert!(
            services["contents"]
                .as_array()
                .expect("services")
                .iter()
                .any(|s| s["id"] == uuid)
        );
        assert!(child_text(*e, "title").is_some() && child_text(*e, "summary").is_some());
        let link = e
            .children()
            .find(|c| c.has_tag_name((ATOM, "link")))
            .and_then(|l| l.attribute("href"));
        assert!(link.is_some_and(|l| l.starts_with("https://dayopps.example.gov.uk/services/")));
    }
}

fn the_feed_names_the_directory_and_its_council(feed: roxmltree::Node) {
    assert_eq!(
        child_text(feed, "title").as_deref(),
        Some("Day Opportunities Directory")
    );
    assert!(child_text(feed, "id").is_some());
    let author = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("an author");
    assert_eq!(
        child_text(author, "name").as_deref(),
        Some("London Borough of Wrenfield")
    );
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"));
    assert_eq!(
        self_link.and_then(|l| l.attribute("href")),
        Some("https://dayopps.example.gov.uk/feed.xml")
    );
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_spreadsheet_has_a_row_a_service_and_a_column_a_field() {
    let (header, rows) = read_csv(&demo()["services.csv"]);
    assert_eq!(rows.len(), 47);
    for f in dayopps::model::fields::LISTING
        .iter()
        .filter(|f| f.name != "contact")
    {
        assert!(
            header.iter().any(|h| h == f.name),
            "no column for {}",
            f.name
        );
    }
    let col = |name: &str| header.iter().position(|h| h == name).expect("a column");
    let riverside = rows
        .iter()
        .find(|r| r[col("title")] == "Riverside Garden Project")
        .expect("Riverside");
    assert_eq!(riverside[col("needs")], "learning-disabilities; autism");
    assert_eq!(riverside[col("languages")], "English; Urdu; Polish");
    assert_eq!(
        riverside[col("schedule")],
        "mon, tue, wed, thu, fri 09:30-15:30; sat 10:00-14:00"
    );
    assert_eq!(riverside[col("contact.phone")], "020 7946 0123");
    assert!(riverside[col("costs")].starts_with("45.00 per session"));
}

#[test]
fn spreadsheet_cells_cannot_run_formulas() {
    let site = TestSite::new().listing_with(
        "garden-club.md",
        "title: Garden Club",
        "title: \"=HYPERLINK(\\\"http://evil.example\\\")\"",
    );
    let files = built(&site);
    let (header, rows) = read_csv(&files["services.csv"]);
    let title = &rows[0][header.iter().position(|h| h == "title").expect("title")];
    assert_eq!(title, "'=HYPERLINK(\"http://evil.example\")");
}
