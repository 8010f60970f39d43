//! What OpenReferralUK/oruk-validator does to an API, done here against any `Target`: the
//! root's version, every list on its first, middle and last page with the page fields
//! checked, every item and every object by id against the profile's schemas, and any
//! answer that is not 2xx a failure. `semantics` then checks what the validator skips:
//! that a service is found by its own name, terms and schedule.
//!
//! A target is anything that answers `GET` on the API's paths: `serve`, and the static files
//! served by their own host rules (`static_host`). A static host cannot filter, so it is
//! held to what the validator checks alone (`check_as_validator`).
#![allow(dead_code)]

use std::collections::BTreeSet;

use serde_json::Value;

mod pages;
mod schemas;
mod semantics;
pub mod serve;
pub mod sites;
pub mod static_host;

use schemas::{Schemas, problems};

/// An API under test.
pub trait Target {
    /// The answer to `GET {base}{path}`, where `path` is such as `/services?page=2`: the
    /// status and the body (`Value::Null` when it is not JSON).
    fn get(&self, path: &str) -> (u16, Value);
}

/// What a run found: problems fail, warnings do not (the validator warns of empty lists).
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
    /// How many requests were made, and how many objects were checked by id.
    pub requests: usize,
    pub objects: usize,
    /// How many services the semantic checks found by their name, terms and schedules.
    pub found: usize,
}

/// Fails the test with every problem the report found.
pub fn assert_passes(report: &Report) {
    assert!(
        report.problems.is_empty(),
        "{} problems:\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
}

/// A list endpoint, the schema of its items, and the schema of its objects by id.
struct Endpoint {
    list: &'static str,
    item: fn(&Schemas) -> &jsonschema::Validator,
    object: fn(&Schemas) -> &jsonschema::Validator,
    /// Whether the object answered is the one with this id.
    is: fn(&Value, &str) -> bool,
}

fn own_id(object: &Value, id: &str) -> bool {
    object["id"].as_str() == Some(id)
}

/// HSDS 3.0 answers `/service_at_locations/{id}` with a service (`compiled/service.json`):
/// here, the service with that place and no other.
fn service_at(object: &Value, id: &str) -> bool {
    let places = object["service_at_locations"].as_array();
    places.is_some_and(|p| p.len() == 1 && own_id(&p[0], id))
}

const ENDPOINTS: [Endpoint; 4] = [
    Endpoint {
        list: "services",
        item: |s| &s.service_list,
        object: |s| &s.service,
        is: own_id,
    },
    Endpoint {
        list: "taxonomies",
        item: |s| &s.taxonomy,
        object: |s| &s.taxonomy,
        is: own_id,
    },
    Endpoint {
        list: "taxonomy_terms",
        item: |s| &s.taxonomy_term,
        object: |s| &s.taxonomy_term,
        is: own_id,
    },
    Endpoint {
        list: "service_at_locations",
        item: |s| &s.service_at_location_list,
        object: |s| &s.service,
        is: service_at,
    },
];

/// Runs the validator's checks, then the semantic ones, against `target`.
pub fn check(target: &dyn Target) -> Report {
    let schemas = Schemas::load();
    let (mut run, services) = validate(target, &schemas);
    semantics::check(&mut run, &services);
    run.report
}

/// The validator's checks alone: for the static files, which cannot filter.
pub fn check_as_validator(target: &dyn Target) -> Report {
    let schemas = Schemas::load();
    validate(target, &schemas).0.report
}

/// The validator's checks; the documents of the services the lists gave.
fn validate<'t>(target: &'t dyn Target, schemas: &'t Schemas) -> (Run<'t>, Vec<Value>) {
    let mut run = Run {
        target,
        schemas,
        report: Report::default(),
    };
    run.root();
    let mut services = Vec::new();
    for endpoint in &ENDPOINTS {
        let ids = run.list(endpoint);
        let objects: Vec<Value> = ids
            .iter()
            .filter_map(|id| run.object(endpoint, id))
            .collect();
        if endpoint.list == "services" {
            services = objects;
        }
    }
    (run, services)
}

struct Run<'t> {
    target: &'t dyn Target,
    schemas: &'t Schemas,
    report: Report,
}

impl Run<'_> {
    /// A 2xx answer's body, or `None` with the failure reported.
    fn get(&mut self, path: &str) -> Option<Value> {
        self.report.requests += 1;
        let (status, body) = self.target.get(path);
        if !(200..300).contains(&status) {
            self.fail(format!("GET {path} answered {status}: {body}"));
            return None;
        }
        if body.is_null() {
            self.fail(format!("GET {path} did not answer JSON"));
            return None;
        }
        Some(body)
    }

    fn fail(&mut self, problem: String) {
        self.report.problems.push(problem);
    }

    fn root(&mut self) {
        if let Some(body) = self.get("/") {
            let found = problems(&self.schemas.root, "GET /", &body);
            self.report.problems.extend(found);
        }
    }

    /// The first, middle and last pages of a list; the ids of their items.
    fn list(&mut self, e: &Endpoint) -> Vec<String> {
        let at = |n: u64| format!("GET /{}?page={n}", e.list);
        let Some(first) = self.page(e, 1) else {
            return Vec::new();
        };
        if first.total_items == 0 {
            self.report
                .warnings
                .push(format!("{}: the list is empty", at(1)));
        }
        let last_number = first.total_pages.max(1);
        let middle_number = last_number.div_ceil(2);
        let middle = (middle_number > 1 && middle_number < last_number)
            .then(|| self.page(e, middle_number))
            .flatten();
        let last = if last_number > 1 {
            self.page(e, last_number)
        } else {
            None
        };
        if let Some(last) = &last {
            pages::agree(&at(last_number), &first, last, &mut self.report.problems);
        }
        let mut seen = BTreeSet::new();
        let items = [Some(&first), middle.as_ref(), last.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|p| &p.contents);
        let mut ids = Vec::new();
        for item in items {
            match item["id"].as_str() {
                Some(id) if seen.insert(id.to_string()) => ids.push(id.to_string()),
                Some(id) => self.fail(format!("GET /{}: id {id} on two pages", e.list)),
                None => {}
            }
        }
        ids
    }

    /// Page `n` of a list, its fields and items checked.
    fn page(&mut self, e: &Endpoint, n: u64) -> Option<pages::Page> {
        let at = format!("GET /{}?page={n}", e.list);
        let body = self.get(&format!("/{}?page={n}", e.list))?;
        let page = pages::read(&at, &body, n, &mut self.report.problems)?;
        for (i, item) in page.contents.iter().enumerate() {
            let found = problems((e.item)(self.schemas), &format!("{at} contents[{i}]"), item);
            self.report.problems.extend(found);
        }
        Some(page)
    }

    /// An object by the id a list gave, checked against its schema and for its own id.
    fn object(&mut self, e: &Endpoint, id: &str) -> Option<Value> {
        let path = format!("/{}/{id}", e.list);
        let body = self.get(&path)?;
        self.report.objects += 1;
        let found = problems((e.object)(self.schemas), &format!("GET {path}"), &body);
        self.report.problems.extend(found);
        if !(e.is)(&body, id) {
            self.fail(format!("GET {path} answered another object than {id}"));
        }
        Some(body)
    }
}
