//! The ORUK conformance test: `dayopps serve`'s API checked as OpenReferralUK/oruk-validator
//! checks a feed (the harness is in conformance/), on the demo and on a site of several
//! pages, and the harness itself shown to fail an API that breaks the rules.

mod common;
mod conformance;

use serde_json::{Value, json};

use common::repo;
use conformance::serve::Serve;
use conformance::sites::many;
use conformance::{Target, assert_passes, check};

#[test]
fn the_demo_passes_the_validators_checks_and_finds_each_service_by_itself() {
    let server = Serve::start(&repo());
    let report = check(&server);
    assert_passes(&report);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let total = common::demo_listings().len();
    let (_, services) = server.get("/services");
    assert_eq!(services["total_items"], total);
    let read = [
        "services",
        "taxonomies",
        "taxonomy_terms",
        "service_at_locations",
    ]
    .iter()
    .map(|list| on_pages_read(&server, list))
    .sum::<u64>();
    assert_eq!(
        report.objects as u64, read,
        "every object the lists gave is checked by id"
    );
    assert!(
        report.found >= total.min(24),
        "found {} services",
        report.found
    );
}

/// How many items a list has on the pages the validator reads: the first, middle and last.
fn on_pages_read(server: &Serve, list: &str) -> u64 {
    let (_, first) = server.get(&format!("/{list}"));
    let pages = first["total_pages"].as_u64().expect("total_pages");
    let read: std::collections::BTreeSet<u64> = [1, pages.div_ceil(2), pages].into();
    read.iter()
        .map(|n| {
            server.get(&format!("/{list}?page={n}")).1["size"]
                .as_u64()
                .expect("size")
        })
        .sum()
}

#[test]
fn a_site_of_several_pages_passes_on_its_first_middle_and_last_pages() {
    let site = many(130);
    let server = Serve::start(site.root());
    let (status, first) = server.get("/services?page=1");
    assert_eq!(status, 200);
    assert_eq!(first["total_items"], 130);
    assert_eq!(first["total_pages"], 3, "50 a page by default");
    let report = check(&server);
    assert_passes(&report);
    assert!(report.found >= 20, "found {} services", report.found);
    let (_, last) = server.get("/services?page=3&per_page=50");
    assert_eq!(
        (last["size"].clone(), last["last_page"].clone()),
        (json!(30), json!(true))
    );
}

/// `serve`, with one thing broken on the way in (`asks`) or out (`breaks`).
struct Broken<'s> {
    serve: &'s Serve,
    asks: fn(&str) -> String,
    breaks: fn(&str, &mut u16, &mut Value),
}

impl Target for Broken<'_> {
    fn get(&self, path: &str) -> (u16, Value) {
        let (mut status, mut body) = self.serve.get(&(self.asks)(path));
        (self.breaks)(path, &mut status, &mut body);
        (status, body)
    }
}

fn problems_with(serve: &Serve, breaks: fn(&str, &mut u16, &mut Value)) -> String {
    let asks = |path: &str| path.to_string();
    check(&Broken {
        serve,
        asks,
        breaks,
    })
    .problems
    .join("\n")
}

#[test]
fn the_harness_fails_an_api_that_breaks_the_rules() {
    let site = many(60);
    let serve = Serve::start(site.root());
    let missing = problems_with(&serve, |path, status, _| {
        if path.starts_with("/taxonomy_terms/") {
            *status = 404;
        }
    });
    assert!(
        missing.contains("GET /taxonomy_terms/") && missing.contains("answered 404"),
        "{missing}"
    );

    let pages = problems_with(&serve, |path, _, body| {
        if path == "/services?page=2" {
            body["last_page"] = json!(false);
            body["size"] = json!(1);
        }
    });
    assert!(pages.contains("`last_page` is wrong"), "{pages}");
    assert!(
        pages.contains("`size` is not the number of `contents`"),
        "{pages}"
    );

    let schema = problems_with(&serve, |path, _, body| {
        if path.starts_with("/services/") {
            body["last_modified"] = json!("yesterday");
        }
    });
    assert!(
        schema.contains("last_modified"),
        "date-time is checked: {schema}"
    );

    let version = problems_with(&serve, |path, _, body| {
        if path == "/" {
            body["version"] = json!("1.0");
        }
    });
    assert!(version.contains("GET /"), "{version}");

    // Filters ignored: each service is still found by itself, but so are the others.
    let ignored = problems_when_filters_are_ignored(&serve);
    assert!(ignored.contains("/services?taxonomy_term_id="), "{ignored}");
    assert!(ignored.contains("/services?day="), "{ignored}");
    assert!(ignored.contains("keeps service"), "{ignored}");
}

fn problems_when_filters_are_ignored(serve: &Serve) -> String {
    let asks = |path: &str| {
        let (list, query) = path.split_once('?').unwrap_or((path, ""));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| p.starts_with("page") || p.starts_with("per_page"))
            .collect();
        format!("{list}?{}", kept.join("&"))
    };
    check(&Broken {
        serve,
        asks,
        breaks: |_, _, _| {},
    })
    .problems
    .join("\n")
}

#[test]
fn each_endpoint_ignores_what_it_does_not_take_and_explains_what_it_cannot_read() {
    let server = Serve::start(&repo());
    let (_, plain) = server.get("/services");
    let (status, extra) = server.get("/services?colour=blue&sort=name");
    assert_eq!(status, 200);
    assert_eq!(extra, plain, "unknown parameters are ignored");
    let (status, taxonomies) = server.get("/taxonomies?day=someday&minimum_age=old");
    assert_eq!(status, 200, "the services' filters are not the taxonomies'");
    assert_eq!(taxonomies, server.get("/taxonomies").1);
    parameters_it_cannot_read_are_refused(&server);
    hostile_requests_are_harmless(&server);
    unknown_ids_are_explained(&server);
}

fn parameters_it_cannot_read_are_refused(server: &Serve) {
    let refused = [
        (
            "/services?minimum_age=old",
            "`minimum_age` should be an age in years",
        ),
        (
            "/services?maximum_age=-3",
            "`maximum_age` should be an age in years",
        ),
        (
            "/service_at_locations?day=someday",
            "`someday` is not a day",
        ),
        (
            "/service_at_locations?end_time=late",
            "`end_time` should be a time",
        ),
        (
            "/taxonomies?per_page=all",
            "`per_page` should be a whole number",
        ),
        (
            "/taxonomy_terms?page=first",
            "`page` should be a whole number",
        ),
    ];
    for (path, says) in refused {
        let (status, body) = server.get(path);
        assert_eq!(status, 400, "{path}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{path}: {error}");
    }
}

/// A path out of the API, a huge search, a flood of ids.
fn hostile_requests_are_harmless(server: &Serve) {
    for path in [
        "/taxonomy_terms/..%2F..%2Fsite.yaml",
        "/services/../../site.yaml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 404 || status == 400, "{path}: {status} {body}");
        assert!(!body.to_string().contains("base_url"), "{path}: {body}");
    }
    let long = "a".repeat(20_000);
    let (status, _) = server.get(&format!("/services?search={long}"));
    assert!(status == 200 || status == 400, "a long search: {status}");
    let ids = vec!["x"; 2_000].join(",");
    let (status, body) = server.get(&format!("/service_at_locations?taxonomy_term_id={ids}"));
    assert_eq!((status, body["total_items"].clone()), (200, json!(0)));
}

fn unknown_ids_are_explained(server: &Serve) {
    let nobody = "00000000-0000-0000-0000-000000000000";
    for (list, what) in [
        ("services", "no service with id"),
        ("taxonomies", "no taxonomy with id"),
        ("taxonomy_terms", "no taxonomy term with id"),
        ("service_at_locations", "no service at a location with id"),
    ] {
        let (status, body) = server.get(&format!("/{list}/{nobody}"));
        assert_eq!(status, 404, "{list}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(what) && error.contains(nobody),
            "{list}: {error}"
        );
    }
}

#[test]
fn a_place_by_id_is_its_service_with_that_place_and_terms_list_by_taxonomy() {
    let server = Serve::start(&repo());
    let (_, places) = server.get("/service_at_locations?per_page=500");
    let two = places["contents"]
        .as_array()
        .expect("places")
        .iter()
        .find(|p| {
            let service = p["service"]["id"].as_str().unwrap_or_default();
            let (_, doc) = server.get(&format!("/services/{service}"));
            doc["service_at_locations"]
                .as_array()
                .is_some_and(|a| a.len() > 1)
        })
        .expect("a service of the demo at two places or more");
    let id = two["id"].as_str().expect("an id");
    let service_id = two["service"]["id"].as_str().expect("a service id");
    let (status, one) = server.get(&format!("/service_at_locations/{id}"));
    assert_eq!(status, 200);
    let (_, service) = server.get(&format!("/services/{service_id}"));
    assert_eq!(
        one["id"], service["id"],
        "a service, as HSDS 3.0's OpenAPI says"
    );
    assert_eq!(one["schedules"], service["schedules"]);
    assert_eq!(one["attributes"], service["attributes"]);
    let at = one["service_at_locations"].as_array().expect("its places");
    assert_eq!(at.len(), 1, "only the place asked for");
    assert_eq!(at[0]["id"], two["id"]);
    assert_eq!(at[0]["location"], two["location"]);

    let (_, taxonomies) = server.get("/taxonomies");
    let needs = taxonomies["contents"]
        .as_array()
        .expect("taxonomies")
        .iter()
        .find(|t| t["name"] == "needs")
        .expect("the needs taxonomy");
    let tax_id = needs["id"].as_str().expect("an id");
    let (_, terms) = server.get(&format!(
        "/taxonomy_terms?taxonomy_id={tax_id}&per_page=500"
    ));
    let terms = terms["contents"].as_array().expect("terms");
    assert!(!terms.is_empty());
    assert!(terms.iter().all(|t| t["taxonomy"] == "needs"), "{terms:?}");
    let (_, all) = server.get("/taxonomy_terms?per_page=500");
    assert!(all["total_items"].as_u64() > Some(terms.len() as u64));
}
