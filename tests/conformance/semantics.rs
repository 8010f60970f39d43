//! What the validator does not check: that the filters mean what they say. A service must
//! be found by a word of its own name (`search`), by one of its own taxonomy terms
//! (`taxonomy_term_id`) and their taxonomy (`taxonomy_id`), and by its own schedule (`day`,
//! `start_time`, `end_time`); and of the services whose documents are known, a filter must
//! keep exactly those its documents say it should. `/service_at_locations` must keep the
//! places of the same services as `/services` does.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Run;

/// Services checked at most, spread over the list: each takes a handful of requests.
const MOST: usize = 24;

/// `services` are the documents of every service the lists gave.
pub fn check(run: &mut Run, services: &[Value]) {
    let step = services.len().div_ceil(MOST).max(1);
    for service in services.iter().step_by(step) {
        let Some(id) = service["id"].as_str() else {
            continue;
        };
        let before = run.report.problems.len();
        by_name(run, id, service);
        by_term(run, id, service, services);
        by_schedule(run, id, service, services);
        if run.report.problems.len() == before {
            run.report.found += 1;
        }
    }
}

fn by_name(run: &mut Run, id: &str, service: &Value) {
    let name = service["name"].as_str().unwrap_or_default();
    let Some(word) = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .max_by_key(|w| w.chars().count())
    else {
        return;
    };
    let query = format!("search={}", encode(word));
    let found = ids(run, "services", &query);
    if !found.contains(id) {
        run.fail(format!(
            "`{name}` is not found by a word of its name: ?{query}"
        ));
    }
}

fn by_term(run: &mut Run, id: &str, service: &Value, all: &[Value]) {
    let Some(first) = service["attributes"].as_array().and_then(|a| a.first()) else {
        return;
    };
    let term = first["taxonomy_term_id"].as_str().unwrap_or_default();
    let has_term = |s: &Value| terms(s).any(|(t, _)| t == term);
    expect(run, id, &format!("taxonomy_term_id={term}"), all, has_term);
    let taxonomy = first["taxonomy_term"]["taxonomy_id"]
        .as_str()
        .unwrap_or_default();
    let in_taxonomy = |s: &Value| terms(s).any(|(_, x)| x == taxonomy);
    expect(
        run,
        id,
        &format!("taxonomy_id={taxonomy}"),
        all,
        in_taxonomy,
    );
}

/// A service's terms, as their ids and their taxonomies' ids.
fn terms(service: &Value) -> impl Iterator<Item = (&str, &str)> {
    service["attributes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["taxonomy_term_id"].as_str().unwrap_or_default(),
                a["taxonomy_term"]["taxonomy_id"]
                    .as_str()
                    .unwrap_or_default(),
            )
        })
}

fn by_schedule(run: &mut Run, id: &str, service: &Value, all: &[Value]) {
    let schedules = |s: &Value| s["schedules"].as_array().cloned().unwrap_or_default();
    let field = |s: &Value, k: &str| s[k].as_str().unwrap_or_default().to_string();
    let Some(own) = schedules(service)
        .into_iter()
        .find(|s| !field(s, "byday").is_empty() && !field(s, "opens_at").is_empty())
    else {
        return;
    };
    let day = field(&own, "byday")
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string();
    let (start, end) = (field(&own, "opens_at"), field(&own, "closes_at"));
    let fits = |s: &Value| {
        schedules(s).iter().any(|x| {
            field(x, "byday").split(',').any(|d| d == day)
                && field(x, "opens_at") >= start
                && (end.is_empty()
                    || (!field(x, "closes_at").is_empty() && field(x, "closes_at") <= end))
        })
    };
    let mut query = format!("day={day}&start_time={start}");
    if !end.is_empty() {
        query.push_str(&format!("&end_time={end}"));
    }
    let services = expect(run, id, &query, all, fits);
    // The places of the same services, and only theirs.
    let with_places: BTreeSet<String> = all
        .iter()
        .filter(|s| services.contains(s["id"].as_str().unwrap_or_default()))
        .filter(|s| {
            s["service_at_locations"]
                .as_array()
                .is_some_and(|p| !p.is_empty())
        })
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();
    let places = ids(run, "service_at_locations", &query);
    let known: BTreeSet<String> = places.intersection(&known_ids(all)).cloned().collect();
    if known != with_places {
        run.fail(format!(
            "/service_at_locations?{query} keeps the places of other services than /services does"
        ));
    }
}

/// Asks `/services?{query}`: it must find `id`, and of the services known, exactly those
/// `keeps` says. The ids found.
fn expect(
    run: &mut Run,
    id: &str,
    query: &str,
    all: &[Value],
    keeps: impl Fn(&Value) -> bool,
) -> BTreeSet<String> {
    let found = ids(run, "services", query);
    if !found.contains(id) {
        run.fail(format!("service {id} is not found by its own ?{query}"));
    }
    for s in all {
        let sid = s["id"].as_str().unwrap_or_default();
        if found.contains(sid) != keeps(s) {
            let what = if keeps(s) { "leaves out" } else { "keeps" };
            run.fail(format!("/services?{query} {what} service {sid}"));
        }
    }
    found
}

fn known_ids(all: &[Value]) -> BTreeSet<String> {
    all.iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect()
}

/// Every service id a filtered list gives, page by page (for places, their services').
fn ids(run: &mut Run, list: &str, query: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut page = 1;
    while let Some(body) = run.get(&format!("/{list}?{query}&per_page=100&page={page}")) {
        for item in body["contents"].as_array().into_iter().flatten() {
            let id = if list == "services" {
                &item["id"]
            } else {
                &item["service"]["id"]
            };
            out.extend(id.as_str().map(str::to_string));
        }
        let pages = body["total_pages"].as_u64().unwrap_or(1);
        if page >= pages || page >= 1000 {
            break;
        }
        page += 1;
    }
    out
}

fn encode(word: &str) -> String {
    url::form_urlencoded::byte_serialize(word.as_bytes()).collect()
}
