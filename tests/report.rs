//! The market report: the /market/ page, its CSV files and `dayopps report`. The demo's
//! figures are worked out here straight from the listing files and site.yaml, read as plain
//! YAML, so a mistake in dayopps' model or report cannot hide in the expectations.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{LISTING, SITE, TestSite, repo, strings};
use dayopps::build::BuildOptions;
use regex::Regex;
use serde_json::Value as Json;
use serde_yaml::Value;

const TODAY: time::Date = time::macros::date!(2026 - 11 - 23);
const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

// ---------------------------------------------------------------------------------------
// The demo, read independently

struct Demo {
    site: Value,
    listings: BTreeMap<String, Value>,
}

fn demo() -> Demo {
    let text = fs::read_to_string(repo().join("site.yaml")).expect("site.yaml");
    let site: Value = serde_yaml::from_str(&text).expect("site.yaml is YAML");
    let listings = common::demo_listings();
    Demo { site, listings }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// YAML reads unquoted dates as text; either way this gives `YYYY-MM-DD`.
fn date(v: &Value, key: &str) -> Option<String> {
    v.get(key).map(|d| match d {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .expect("a date")
            .trim()
            .to_string(),
    })
}

impl Demo {
    /// (key, label) of a vocabulary, in site.yaml's order.
    fn vocab(&self, name: &str) -> Vec<(String, String)> {
        self.site["vocabularies"][name]
            .as_mapping()
            .expect("vocabulary")
            .iter()
            .map(|(k, v)| (k.as_str().expect("key").to_string(), text(v, "label")))
            .collect()
    }

    fn in_borough(&self, listing: &Value) -> bool {
        let area = text(listing, "area");
        self.site["vocabularies"]["areas"][area.as_str()]["in_borough"]
            .as_bool()
            .expect("in_borough")
    }

    fn all(&self) -> impl Iterator<Item = &Value> {
        self.listings.values()
    }

    fn count(&self, keep: impl Fn(&Value) -> bool) -> usize {
        self.all().filter(|l| keep(l)).count()
    }

    /// [total, in the borough, outside] of the listings `keep` picks.
    fn split(&self, keep: impl Fn(&Value) -> bool) -> [usize; 3] {
        let inside = self.count(|l| keep(l) && self.in_borough(l));
        let outside = self.count(|l| keep(l) && !self.in_borough(l));
        [inside + outside, inside, outside]
    }

    fn providers(&self) -> [usize; 3] {
        let all: BTreeSet<String> = self.all().map(|l| text(l, "provider")).collect();
        let inside: BTreeSet<String> = self
            .all()
            .filter(|l| self.in_borough(l))
            .map(|l| text(l, "provider"))
            .collect();
        [all.len(), inside.len(), all.len() - inside.len()]
    }
}

/// `review_by`, or a year after `updated` (29 February becomes 28 February).
fn review_by(l: &Value) -> String {
    date(l, "review_by").unwrap_or_else(|| {
        let updated = date(l, "updated").expect("updated");
        let year: i32 = updated[..4].parse().expect("year");
        let rest = match &updated[4..] {
            "-02-29" => "-02-28",
            other => other,
        };
        format!("{}{rest}", year + 1)
    })
}

fn stale(l: &Value) -> bool {
    review_by(l) < TODAY.to_string()
}

fn sessions(l: &Value) -> Vec<Value> {
    l.get("schedule")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default()
}

/// The time columns of the needs-by-when table a listing falls in.
fn times(l: &Value) -> BTreeSet<&'static str> {
    let sessions = sessions(l);
    let days: BTreeSet<String> = sessions
        .iter()
        .flat_map(|s| strings(s.get("days")))
        .collect();
    let mut out = BTreeSet::new();
    let starts_by_day = |s: &Value| text(s, "from").as_str() < "17:30";
    if sessions.iter().any(|s| {
        starts_by_day(s)
            && strings(s.get("days"))
                .iter()
                .any(|d| WEEKDAYS.contains(&d.as_str()))
    }) {
        out.insert("weekday-daytime");
    }
    if sessions.iter().any(|s| text(s, "to").as_str() > "17:30") {
        out.insert("evenings");
    }
    if days.contains("sat") || days.contains("sun") {
        out.insert("weekends");
    }
    if days.len() == 7 {
        out.insert("seven-days");
    }
    out
}

fn all_accessibility(l: &Value) -> BTreeSet<String> {
    let mut all: BTreeSet<String> = strings(l.get("accessibility")).into_iter().collect();
    for loc in locations(l) {
        all.extend(strings(loc.get("accessibility")));
    }
    all
}

fn locations(l: &Value) -> Vec<Value> {
    l.get("locations")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default()
}

/// Prices in pence for one way of charging, sorted.
fn prices(demo: &Demo, per: &str) -> Vec<u64> {
    let mut out: Vec<u64> = demo
        .all()
        .flat_map(|l| {
            l.get("costs")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
        })
        .filter(|c| text(c, "per") == per)
        .map(|c| (c["amount"].as_f64().expect("amount") * 100.0).round() as u64)
        .collect();
    out.sort_unstable();
    out
}

fn median(p: &[u64]) -> Option<u64> {
    let n = p.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(p[n / 2]),
        _ => Some((p[n / 2 - 1] + p[n / 2]).div_ceil(2)),
    }
}

fn money(p: Option<u64>) -> String {
    p.map_or_else(
        || "None listed".into(),
        |p| format!("£{}.{:02}", p / 100, p % 100),
    )
}

fn gap(n: usize) -> String {
    if n == 0 { "Gap".into() } else { n.to_string() }
}

fn has(l: &Value, field: &str, key: &str) -> bool {
    strings(l.get(field)).iter().any(|k| k == key)
}

/// Whether a listing matches a priority from site.yaml: every field given, any value of it.
fn matches_priority(demo: &Demo, p: &Value, l: &Value) -> bool {
    let any = |field: &str, have: Vec<String>| {
        let wanted = strings(p.get(field));
        wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
    };
    let when: Vec<String> = times(l).into_iter().map(str::to_string).collect();
    any("needs", strings(l.get("needs")))
        && any("service_types", strings(l.get("service_types")))
        && any("activities", strings(l.get("activities")))
        && any("areas", vec![text(l, "area")])
        && any("when", when)
        && p.get("in_borough")
            .and_then(Value::as_bool)
            .is_none_or(|want| want == demo.in_borough(l))
}

// ---------------------------------------------------------------------------------------
// What dayopps made

fn build_demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    let mut options = BuildOptions::new(repo());
    options.output = Some(out.clone());
    options.today = Some(TODAY);
    dayopps::build(&options).unwrap_or_else(|e| panic!("the demo should build: {e}"));
    (dir, out)
}

/// `dayopps report` on the demo, as if run on TODAY.
fn report_cli(root: &Path, format: &str) -> String {
    let epoch = TODAY.midnight().assume_utc().unix_timestamp();
    let out = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["report", "--format", format, "--root"])
        .arg(root)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn decode(html: &str) -> String {
    let tags = Regex::new(r"<[^>]+>").expect("pattern");
    tags.replace_all(html, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// Each section's table on the page, by section id: rows of cell texts, headings first.
fn page_tables(html: &str) -> BTreeMap<String, Vec<Vec<String>>> {
    let section =
        Regex::new(r#"(?s)<section[^>]*\sid="?([a-z-]+)"?[^>]*>(.*?)</section>"#).expect("pattern");
    let row = Regex::new(r"(?s)<tr>(.*?)</tr>").expect("pattern");
    let cell = Regex::new(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>").expect("pattern");
    section
        .captures_iter(html)
        .map(|s| {
            let rows = row
                .captures_iter(&s[2])
                .map(|r| cell.captures_iter(&r[1]).map(|c| decode(&c[1])).collect())
                .collect();
            (s[1].to_string(), rows)
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn split_row(label: &str, s: [usize; 3]) -> Vec<String> {
    vec![
        label.into(),
        s[0].to_string(),
        s[1].to_string(),
        s[2].to_string(),
    ]
}

// ---------------------------------------------------------------------------------------
// The demo's figures

/// Every table on the page, row by row, as this test expects it from the listing files.
fn expected_tables(d: &Demo) -> BTreeMap<&'static str, Vec<Vec<String>>> {
    let types: Vec<String> = d
        .vocab("service_types")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let when: Vec<String> = ["weekday-daytime", "evenings", "weekends", "seven-days"]
        .map(String::from)
        .into();
    BTreeMap::from([
        ("overview", expected_overview(d)),
        ("vacancies", expected_vacancies(d)),
        (
            "needs-by-service-type",
            expected_needs_by(d, &types, &|l, c| has(l, "service_types", c)),
        ),
        (
            "needs-by-when",
            expected_needs_by(d, &when, &|l, c| times(l).contains(c)),
        ),
        ("areas", expected_areas(d)),
        ("funding", expected_funding(d)),
        ("accessibility", expected_accessibility(d)),
        ("costs", expected_costs(d)),
        ("freshness", expected_freshness(d)),
        ("priorities", expected_priorities(d)),
    ])
}

fn expected_overview(d: &Demo) -> Vec<Vec<String>> {
    vec![
        split_row("Services", d.split(|_| true)),
        split_row("Providers", d.providers()),
        split_row(
            "Accredited services",
            d.split(|l| l.get("accredited").and_then(Value::as_bool) == Some(true)),
        ),
        split_row("Services past their review date", d.split(stale)),
    ]
}

fn expected_vacancies(d: &Demo) -> Vec<Vec<String>> {
    let vacancy = |key: Option<&str>| {
        d.count(|l| l.get("vacancies").and_then(Value::as_str) == key)
            .to_string()
    };
    vec![
        vec!["Places available".into(), vacancy(Some("open"))],
        vec!["Waiting list".into(), vacancy(Some("waiting-list"))],
        vec!["Full".into(), vacancy(Some("full"))],
        vec!["Not stated".into(), vacancy(None)],
    ]
}

/// A row a need: its label, the services meeting it, then those of them in each column.
fn expected_needs_by(
    d: &Demo,
    columns: &[String],
    has_column: &dyn Fn(&Value, &str) -> bool,
) -> Vec<Vec<String>> {
    d.vocab("needs")
        .iter()
        .map(|(need, label)| {
            let with: Vec<&Value> = d.all().filter(|l| has(l, "needs", need)).collect();
            let mut cells = vec![label.clone(), gap(with.len())];
            cells.extend(
                columns
                    .iter()
                    .map(|c| gap(with.iter().filter(|l| has_column(l, c)).count())),
            );
            cells
        })
        .collect()
}

fn expected_funding(d: &Demo) -> Vec<Vec<String>> {
    let total = d.listings.len();
    d.vocab("funding")
        .iter()
        .map(|(key, label)| {
            let n = d.count(|l| has(l, "funding", key));
            vec![
                label.clone(),
                gap(n),
                format!("{}%", (n * 200 + total) / (total * 2)),
            ]
        })
        .collect()
}

fn expected_accessibility(d: &Demo) -> Vec<Vec<String>> {
    d.vocab("accessibility")
        .iter()
        .map(|(key, label)| {
            let at_locations: usize = d
                .all()
                .flat_map(locations)
                .filter(|loc| has(loc, "accessibility", key))
                .count();
            let services = d.count(|l| all_accessibility(l).contains(key));
            vec![label.clone(), at_locations.to_string(), gap(services)]
        })
        .collect()
}

fn expected_priorities(d: &Demo) -> Vec<Vec<String>> {
    d.site["priorities"]
        .as_sequence()
        .expect("the demo has priorities")
        .iter()
        .map(|p| {
            let n = d.count(|l| matches_priority(d, p, l));
            vec![text(p, "label"), gap(n)]
        })
        .collect()
}

fn expected_areas(d: &Demo) -> Vec<Vec<String>> {
    let needs = d.vocab("needs");
    d.vocab("areas")
        .iter()
        .map(|(area, label)| {
            let here: Vec<&Value> = d.all().filter(|l| text(l, "area") == *area).collect();
            let covered = needs
                .iter()
                .filter(|(n, _)| here.iter().any(|l| has(l, "needs", n)))
                .count();
            let missing: Vec<String> = needs
                .iter()
                .filter(|(n, _)| !here.iter().any(|l| has(l, "needs", n)))
                .map(|(_, label)| label.clone())
                .collect();
            let inside = d.site["vocabularies"]["areas"][area.as_str()]["in_borough"]
                .as_bool()
                .expect("in_borough");
            vec![
                label.clone(),
                if inside { "Yes" } else { "No" }.into(),
                gap(here.len()),
                covered.to_string(),
                if missing.is_empty() {
                    "None".into()
                } else {
                    missing.join(", ")
                },
            ]
        })
        .collect()
}

fn expected_costs(d: &Demo) -> Vec<Vec<String>> {
    ["session", "day", "hour", "week"]
        .iter()
        .map(|per| {
            let p = prices(d, per);
            let services = d.count(|l| {
                l.get("costs")
                    .and_then(Value::as_sequence)
                    .is_some_and(|c| c.iter().any(|c| text(c, "per") == *per))
            });
            vec![
                format!("Per {per}"),
                services.to_string(),
                p.len().to_string(),
                money(p.first().copied()),
                money(median(&p)),
                money(p.last().copied()),
            ]
        })
        .collect()
}

/// Every stale listing and the 5 updated longest ago, oldest first (the demo's dates differ).
fn expected_freshness(d: &Demo) -> Vec<Vec<String>> {
    let mut by_age: Vec<&Value> = d.all().collect();
    by_age.sort_by_key(|l| date(l, "updated"));
    by_age
        .iter()
        .enumerate()
        .filter(|(i, l)| *i < 5 || stale(l))
        .map(|(_, l)| {
            vec![
                text(l, "title"),
                text(l, "provider"),
                long_date(&date(l, "updated").expect("updated")),
                long_date(&review_by(l)),
                if stale(l) { "Yes" } else { "No" }.into(),
            ]
        })
        .collect()
}

fn long_date(iso: &str) -> String {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month: usize = iso[5..7].parse().expect("month");
    let day: u8 = iso[8..10].parse().expect("day");
    format!("{day} {} {}", months[month - 1], &iso[..4])
}

#[test]
fn the_market_page_shows_the_demos_figures() {
    let d = demo();
    let (_dir, out) = build_demo();
    let html = fs::read_to_string(out.join("market/index.html")).expect("/market/ is built");
    let tables = page_tables(&html);
    let expected = expected_tables(&d);
    for (id, rows) in &expected {
        let shown = tables.get(*id).unwrap_or_else(|| panic!("no section {id}"));
        let body: Vec<Vec<String>> = shown.iter().skip(1).cloned().collect();
        if *id == "priorities" {
            // The demo's priorities: label first, services today last.
            let ends: Vec<Vec<String>> = body
                .iter()
                .map(|r| vec![r[0].clone(), r[r.len() - 1].clone()])
                .collect();
            assert_eq!(&ends, rows, "priorities");
        } else {
            assert_eq!(&body, rows, "{id}");
        }
    }
    assert_eq!(
        tables.len(),
        expected.len(),
        "sections: {:?}",
        tables.keys().collect::<Vec<_>>()
    );
    let lead = format!(
        "{} services from {} providers",
        d.listings.len(),
        d.providers()[0]
    );
    assert!(html.contains(&lead), "{lead}");
}

#[test]
fn the_demo_has_gaps_evenings_and_stale_entries_to_show() {
    // The figures above only test something if the demo has each kind of value.
    let tables = expected_tables(&demo());
    let cells: Vec<&String> = tables["needs-by-service-type"].iter().flatten().collect();
    assert!(cells.iter().any(|c| *c == "Gap"));
    assert!(tables["overview"][3][1] != "0", "a stale listing");
    assert!(
        tables["costs"].iter().all(|r| r[2] != "0"),
        "every kind of price"
    );
    assert!(tables["priorities"].len() >= 6);
}

#[test]
fn report_json_has_the_demos_figures() {
    let d = demo();
    let json: Json = serde_json::from_str(&report_cli(&repo(), "json")).expect("JSON");
    json_overview_matches(&d, &json["overview"]);
    json_needs_tables_match(&d, &json);
    json_accessibility_and_funding_match(&d, &json);
    json_costs_and_freshness_match(&d, &json);
    json_priorities_and_areas_match(&d, &json);
}

fn json_overview_matches(d: &Demo, o: &Json) {
    let split = |v: &Json| {
        [&v["total"], &v["in_borough"], &v["outside"]].map(|n| n.as_u64().expect("n") as usize)
    };
    assert_eq!(split(&o["services"]), d.split(|_| true));
    assert_eq!(split(&o["providers"]), d.providers());
    assert_eq!(split(&o["stale"]), d.split(stale));
}

fn json_needs_tables_match(d: &Demo, json: &Json) {
    let needs = d.vocab("needs");
    let types = d.vocab("service_types");
    for (i, (need, _)) in needs.iter().enumerate() {
        let row = &json["needs_by_service_type"]["rows"][i];
        assert_eq!(row["key"], need.as_str());
        for (j, (ty, _)) in types.iter().enumerate() {
            let n = d.count(|l| has(l, "needs", need) && has(l, "service_types", ty));
            assert_eq!(row["counts"][j].as_u64(), Some(n as u64), "{need} × {ty}");
        }
        let when = &json["needs_by_when"]["rows"][i]["counts"];
        for (j, column) in ["weekday-daytime", "evenings", "weekends", "seven-days"]
            .iter()
            .enumerate()
        {
            let n = d.count(|l| has(l, "needs", need) && times(l).contains(column));
            assert_eq!(when[j].as_u64(), Some(n as u64), "{need} × {column}");
        }
    }
}

fn json_accessibility_and_funding_match(d: &Demo, json: &Json) {
    let access = json["accessibility"].as_array().expect("accessibility");
    let changing = access
        .iter()
        .find(|a| a["key"] == "changing-places")
        .expect("changing places");
    let at_locations = d
        .all()
        .flat_map(locations)
        .filter(|loc| has(loc, "accessibility", "changing-places"))
        .count();
    assert_eq!(changing["locations"].as_u64(), Some(at_locations as u64));
    let direct = json["funding"]
        .as_array()
        .expect("funding")
        .iter()
        .find(|f| f["key"] == "direct-payment")
        .expect("direct payments");
    assert_eq!(
        direct["services"].as_u64(),
        Some(d.count(|l| has(l, "funding", "direct-payment")) as u64)
    );
}

fn json_costs_and_freshness_match(d: &Demo, json: &Json) {
    for (i, per) in ["session", "day", "hour", "week"].iter().enumerate() {
        let row = &json["costs"][i];
        let p = prices(d, per);
        assert_eq!(row["per"], *per);
        assert_eq!(row["lowest_pence"].as_u64(), p.first().copied());
        assert_eq!(row["median_pence"].as_u64(), median(&p));
        assert_eq!(row["highest_pence"].as_u64(), p.last().copied());
    }
    let oldest = d.all().filter_map(|l| date(l, "updated")).min();
    assert_eq!(
        json["freshness"]["oldest_updated"].as_str(),
        oldest.as_deref()
    );
}

fn json_priorities_and_areas_match(d: &Demo, json: &Json) {
    let priorities = d.site["priorities"].as_sequence().expect("priorities");
    for (i, p) in priorities.iter().enumerate() {
        let slugs: Vec<&String> = d
            .listings
            .iter()
            .filter(|(_, l)| matches_priority(d, p, l))
            .map(|(s, _)| s)
            .collect();
        let mut got: Vec<&str> = json["priorities"][i]["slugs"]
            .as_array()
            .expect("slugs")
            .iter()
            .filter_map(Json::as_str)
            .collect();
        got.sort_unstable();
        assert_eq!(got, slugs, "{}", text(p, "label"));
    }
    let areas = d.vocab("areas");
    assert_eq!(json["areas"].as_array().map(Vec::len), Some(areas.len()));
}

#[test]
fn report_csv_matches_the_sites_csv_files() {
    let (_dir, out) = build_demo();
    let csv = report_cli(&repo(), "csv");
    let blocks: Vec<&str> = csv.split_terminator("\n\n").collect();
    let files: BTreeSet<String> = fs::read_dir(out.join("market"))
        .expect("market/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    assert_eq!(blocks.len(), files.len(), "one block a file");
    let html = fs::read_to_string(out.join("market/index.html")).expect("page");
    for block in blocks {
        let (title, body) = block.split_once('\n').expect("a title line");
        let name = title.split(':').next().expect("a file name");
        let file = fs::read_to_string(out.join("market").join(name)).expect("the CSV file");
        assert_eq!(format!("{body}\n"), file, "{name}");
        assert!(
            html.contains(&format!("/market/{name}")),
            "the page links {name}"
        );
    }
}

#[test]
fn every_chart_is_a_named_image_with_its_table() {
    let (_dir, out) = build_demo();
    let html = fs::read_to_string(out.join("market/index.html")).expect("page");
    let svg = Regex::new(r#"<svg[^>]*aria-labelledby="([^"]+)"[^>]*>"#).expect("pattern");
    let charts: Vec<_> = svg.captures_iter(&html).collect();
    assert!(charts.len() >= 5, "{} charts", charts.len());
    for chart in &charts {
        assert!(
            chart[0].contains("role=img") || chart[0].contains(r#"role="img""#),
            "{}",
            &chart[0]
        );
        for id in chart[1].split(' ') {
            assert!(
                html.contains(&format!("id={id}>")) || html.contains(&format!("id=\"{id}\"")),
                "no element {id}"
            );
        }
    }
    let sections = page_tables(&html);
    assert!(
        sections.values().all(|rows| rows.len() > 1),
        "a table in every section"
    );
    assert_eq!(html.matches("<script").count(), 0, "no JavaScript");
    assert!(html.contains(">Gap</td>"), "gaps are written out");
}

// ---------------------------------------------------------------------------------------
// Small fixture sites

const PRIORITIES: &str = "\
priorities:
  - label: Evenings or weekends
    description: Carers ask for these.
    when: [evenings, weekends]
  - label: Evenings in the borough
    when: [evenings]
    in_borough: true
  - label: Learning disability day centres
    needs: [learning-disabilities]
    service_types: [building-based]
";

fn fixture() -> TestSite {
    TestSite::new()
        .file("site.yaml", &format!("{SITE}{PRIORITIES}"))
        .listing("garden.md", LISTING)
        .listing(
            "late.md",
            &LISTING
                .replace("title: Garden Club", "title: Late Club")
                .replace("area: north", "area: away")
                .replace("[building-based]", "[specialist]")
                .replace("to: \"15:00\"", "to: \"19:00\"")
                .replace("[commissioned]", "[commissioned, direct-payment]")
                .replace("updated: 2026-01-01", "updated: 2025-03-01\ncosts:\n  - amount: 12.50\n    per: session"),
        )
        .listing(
            "saturday.md",
            &LISTING
                .replace("title: Garden Club", "title: Saturday Club")
                .replace("provider: Green Trust", "provider: Weekend Ltd")
                .replace("[mon, tue, wed]", "[sat]")
                .replace("[building-based]", "[community-based, sessional]")
                .replace("updated: 2026-01-01", "updated: 2026-01-01\nvacancies: open\naccredited: true\ncosts:\n  - amount: 10\n    per: session\n  - amount: 5.25\n    per: session"),
        )
}

#[test]
fn priorities_count_services_matching_every_criterion() {
    let site = fixture();
    site.build().expect("builds");
    let html = site.read("market/index.html");
    let tables = page_tables(&html);
    assert_eq!(
        tables["priorities"],
        vec![
            row(&["Priority", "Why", "Which services count", "Services today"]),
            row(&[
                "Evenings or weekends",
                "Carers ask for these.",
                "When: Evenings or Weekends",
                "2"
            ]),
            row(&[
                "Evenings in the borough",
                "",
                "When: Evenings; In the borough",
                "Gap"
            ]),
            row(&[
                "Learning disability day centres",
                "",
                "Need: Learning disabilities; Type of service: Building-based",
                "1",
            ]),
        ]
    );
    assert_eq!(
        site.read("market/priorities.csv"),
        "Priority,Why,Which services count,Services today\n\
         Evenings or weekends,Carers ask for these.,When: Evenings or Weekends,2\n\
         Evenings in the borough,,When: Evenings; In the borough,0\n\
         Learning disability day centres,,Need: Learning disabilities; Type of service: Building-based,1\n"
    );
    let (loaded, _) = dayopps::build::load_site(&site.options()).expect("loads");
    let report = dayopps::report::Report::new(&loaded);
    assert_eq!(report.priorities[0].slugs, ["late", "saturday"]);
}

#[test]
fn without_priorities_there_is_no_priorities_table() {
    let site = TestSite::new().listing("garden.md", LISTING);
    site.build().expect("builds");
    let tables = page_tables(&site.read("market/index.html"));
    assert!(!tables.contains_key("priorities"));
    assert!(!site.root().join("public/market/priorities.csv").exists());
    assert!(tables.contains_key("overview"));
}

#[test]
fn priority_mistakes_are_reported_where_they_are() {
    let priorities = "\
priorities:
  - label: Travel
    service_type: [travel-training]
  - label: Nights
    when: [nights]
  - needs: [demntia]
  - label: Everything
";
    let site = TestSite::new()
        .file("site.yaml", &format!("{SITE}{priorities}"))
        .listing("garden.md", LISTING);
    assert_eq!(
        site.errors().trim_end(),
        "site.yaml:10:5: error: the priority `Travel` does not say which services count
  help: add at least one of needs, service_types, activities, areas, when or in_borough, for example: `service_types: [travel-training]`
site.yaml:11:5: error: unknown field `service_type`
  help: did you mean `service_types`?
site.yaml:13:12: error: `nights` is not a time for `when`
  help: use one of: evenings, weekends, seven-days
site.yaml:14:5: error: `label` is missing from `priorities[2]`
  help: add it, for example: `label: Evening and weekend provision`
site.yaml:14:13: error: `demntia` is not one of the `needs` in site.yaml
  help: did you mean `dementia`?
site.yaml:15:5: error: the priority `Everything` does not say which services count
  help: add at least one of needs, service_types, activities, areas, when or in_borough, for example: `service_types: [travel-training]`"
    );
}

#[test]
fn market_false_turns_off_the_page_and_its_link() {
    let on = fixture();
    on.build().expect("builds");
    assert!(
        on.read("index.html")
            .contains(r#"href="/market/">The market at a glance</a>"#)
    );
    assert!(
        on.read("sitemap.xml")
            .contains("https://example.gov.uk/market/")
    );
    let off = TestSite::new()
        .file("site.yaml", &format!("{SITE}market: false\n{PRIORITIES}"))
        .listing("garden.md", LISTING);
    off.build().expect("builds");
    assert!(!off.root().join("public/market").exists());
    assert!(!off.read("index.html").contains("/market/"));
    assert!(!off.read("sitemap.xml").contains("/market/"));
    let wrong = TestSite::new()
        .file("site.yaml", &format!("{SITE}market: no thanks\n"))
        .listing("garden.md", LISTING);
    assert_eq!(
        wrong.errors().trim_end(),
        "site.yaml:9:9: error: `market` should be true or false, not text
  help: write it like this: `market: true`"
    );
}

#[test]
fn a_theme_made_before_the_market_page_gets_the_built_in_template() {
    let site = fixture().ejected();
    fs::remove_file(site.root().join("themes/default/templates/market.html")).expect("removed");
    site.build().expect("builds");
    assert!(site.read("market/index.html").contains("<h1"));
}

#[test]
fn markdown_report_snapshot() {
    let site = fixture();
    let (loaded, _) = dayopps::build::load_site(&site.options()).expect("loads");
    let report = dayopps::report::Report::new(&loaded);
    insta::assert_snapshot!(dayopps::report::render(
        &report,
        dayopps::report::Format::Md
    ));
}

#[test]
fn html_report_stands_alone() {
    let site = fixture();
    let html = report_cli(site.root(), "html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert!(html.contains("<style>"), "styles are inside");
    assert!(
        !html.contains("<link") && !html.contains("<script"),
        "loads nothing"
    );
    assert!(
        html.contains(r#"role="img" aria-labelledby="chart-vacancies-title chart-vacancies-desc""#)
    );
    assert!(html.contains("<th scope=\"row\">Evenings in the borough</th>"));
    assert!(html.contains("<td class=\"num gap\">Gap</td>"));
}

/// Listings checked on the same day are in title order (case and a leading "The" ignored),
/// then file name; older ones come first.
#[test]
fn freshness_lists_the_oldest_first_and_the_same_day_by_title() {
    let site = TestSite::new()
        .listing_with("zebra.md", "Garden Club", "The Zebra Club")
        .listing_with("apple.md", "Garden Club", "apple day centre")
        .listing_with("oak-b.md", "Garden Club", "Oak Centre")
        .listing_with("oak-a.md", "Garden Club", "oak centre")
        .listing(
            "old.md",
            &common::LISTING
                .replacen("Garden Club", "Yew House", 1)
                .replacen("updated: 2026-01-01", "updated: 2025-12-01", 1),
        );
    let (loaded, _) = dayopps::build::load_site(&site.options()).expect("loads");
    let report = dayopps::report::Report::new(&loaded);
    let slugs: Vec<&str> = report
        .freshness
        .listings
        .iter()
        .map(|l| l.slug.as_str())
        .collect();
    assert_eq!(slugs, ["old", "apple", "oak-a", "oak-b", "zebra"]);
}
