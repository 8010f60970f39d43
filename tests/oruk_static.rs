//! The static Open Referral UK export answering at the standard paths: the built files
//! served by the site's own `_redirects` and `_headers` (as Netlify applies them) pass the
//! validator's checks and answer what `dayopps serve` answers; `staticwebapp.config.json`
//! covers the same paths as far as Azure Static Web Apps can.

mod common;
mod conformance;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tempfile::TempDir;

use common::{SITE, TestSite, repo};
use conformance::serve::Serve;
use conformance::sites::many;
use conformance::static_host::StaticHost;
use conformance::{Target, assert_passes, check_as_validator};

/// The site in `root` built into a folder of its own, as on the fixtures' day, for
/// `base_url` when given (ids depend on it: `serve` builds for its own address).
fn built(root: &Path, base_url: Option<String>) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let public = dir.path().join("public");
    let mut options = dayopps::build::BuildOptions::new(root);
    options.output = Some(public.clone());
    options.today = Some(time::macros::date!(2026 - 06 - 01));
    options.base_url = base_url;
    dayopps::build(&options).expect("the site builds");
    (dir, public)
}

fn demo_built() -> (TempDir, PathBuf) {
    built(&repo(), None)
}

fn ids(target: &dyn Target, path: &str) -> Vec<String> {
    let (_, page) = target.get(path);
    page["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .filter_map(|item| item["id"].as_str().map(String::from))
        .collect()
}

/// Every path the validator asks for a list's pages and objects, answered alike by both.
fn same_answers(static_host: &dyn Target, serve: &dyn Target, lists: &[&str]) -> usize {
    let mut compared = 0;
    let mut same = |path: String| {
        let (a, b) = (static_host.get(&path), serve.get(&path));
        assert_eq!(a.0, b.0, "{path}: the static files' status is not serve's");
        if let Some(at) = difference(&a.1, &b.1, String::new()) {
            panic!("{path}: the static files answer otherwise than serve at {at}");
        }
        compared += 1;
    };
    same("/".into());
    for list in lists {
        let (_, first) = serve.get(&format!("/{list}"));
        let pages = first["total_pages"].as_u64().expect("total_pages");
        same(format!("/{list}"));
        for n in 1..=pages {
            same(format!("/{list}?page={n}"));
            for id in ids(serve, &format!("/{list}?page={n}")) {
                same(format!("/{list}/{id}"));
            }
        }
    }
    compared
}

/// Where two documents first differ, as a JSON pointer with both values.
fn difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (v, w) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                difference(v, w, format!("{at}/{k}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| difference(v, w, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!(
            "{at}: {:.200} against {:.200}",
            a.to_string(),
            b.to_string()
        )),
    }
}

#[test]
fn the_demos_static_files_pass_the_validators_checks_through_the_host_rules() {
    let serve = Serve::start(&repo());
    let (_dir, public) = built(&repo(), Some(serve.base_url()));
    let host = StaticHost::new(&public, "/");
    let report = check_as_validator(&host);
    assert_passes(&report);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let (_, services) = host.get("/services");
    assert_eq!(services["total_items"], common::demo_listings().len());
    assert!(report.objects > 100, "checked {} objects", report.objects);

    let lists = dayopps::export::oruk::LISTS;
    let compared = same_answers(&host, &serve, &lists);
    assert!(compared > report.objects, "compared {compared} answers");
    for path in ["/api", "/api/"] {
        let answer = host.fetch(path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.headers["Access-Control-Allow-Origin"], "*");
    }
}

#[test]
fn a_site_of_several_pages_is_paged_as_serve_pages_it() {
    let site = many(130);
    let serve = Serve::start(site.root());
    let (_dir, public) = built(site.root(), Some(serve.base_url()));
    let host = StaticHost::new(&public, "/");
    assert_passes(&check_as_validator(&host));
    let (status, last) = host.get("/services?page=3");
    assert_eq!(status, 200);
    assert_eq!(
        (&last["page_number"], &last["size"], &last["last_page"]),
        (&json!(3), &json!(30), &json!(true))
    );
    assert_eq!(host.get("/services?page=4").0, 404, "no page past the last");
    same_answers(&host, &serve, &["services", "service_at_locations"]);
    // Page 1 is the same file at the bare path and at `?page=1`.
    let first = fs::read(public.join("api/services/index.json")).expect("page 1");
    let again = fs::read(public.join("api/services/page/1.json")).expect("page/1");
    assert_eq!(first, again);
}

#[test]
fn the_host_rules_start_at_the_base_path() {
    let site = TestSite::new()
        .file(
            "site.yaml",
            &SITE.replace("https://example.gov.uk/", "https://example.gov.uk/dayopps/"),
        )
        .listing("garden.md", common::LISTING);
    site.build().expect("builds");
    let public = site.root().join("public");
    assert_passes(&check_as_validator(&StaticHost::new(&public, "/dayopps/")));
    let at_root = check_as_validator(&StaticHost::new(&public, "/"));
    assert!(
        at_root
            .problems
            .iter()
            .any(|p| p.contains("GET / answered 404")),
        "{:?}",
        at_root.problems
    );
    let azure: Value = serde_json::from_str(&site.read("staticwebapp.config.json")).expect("JSON");
    let routes = azure["routes"].as_array().expect("routes");
    assert!(
        routes.iter().all(|r| r["route"]
            .as_str()
            .is_some_and(|p| p.starts_with("/dayopps/api"))),
        "{routes:?}"
    );
}

/// The demo's files with one host file changed.
fn with_host_file(public: &Path, name: &str, change: impl Fn(&str) -> String) -> StaticHost {
    let text = fs::read_to_string(public.join(name)).expect("the host file");
    fs::write(public.join(name), change(&text)).expect("written");
    StaticHost::new(public, "/")
}

#[test]
fn the_checks_fail_when_a_host_rule_is_missing() {
    let (_dir, public) = demo_built();
    let original = fs::read_to_string(public.join("_redirects")).expect("_redirects");
    let no_ids = with_host_file(&public, "_redirects", |text| {
        text.lines()
            .filter(|l| !l.starts_with("/api/taxonomy_terms/:id"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let found = check_as_validator(&no_ids).problems.join("\n");
    assert!(
        found.contains("GET /taxonomy_terms/") && found.contains("answered 404"),
        "{found}"
    );
    assert!(!found.contains("GET /services/"), "{found}");

    fs::write(public.join("_redirects"), &original).expect("restored");
    let no_cors = with_host_file(&public, "_headers", |text| {
        text.replace("Access-Control-Allow-Origin: *", "X-Nothing: here")
    });
    let found = check_as_validator(&no_cors).problems.join("\n");
    assert!(found.contains("GET / did not answer JSON"), "{found}");
}

/// The first of Azure's routes that matches a path: exactly, or by a trailing `*`.
fn azure_route<'a>(routes: &'a [Value], path: &str) -> &'a Value {
    routes
        .iter()
        .find(|r| {
            let route = r["route"].as_str().unwrap_or_default();
            match route.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => route == path,
            }
        })
        .unwrap_or_else(|| panic!("no route for {path}"))
}

#[test]
fn azures_routes_cover_every_path_as_far_as_azure_can() {
    let (_dir, public) = demo_built();
    let text = fs::read_to_string(public.join("staticwebapp.config.json")).expect("config");
    let config: Value = serde_json::from_str(&text).expect("JSON");
    let routes = config["routes"].as_array().expect("routes");
    let host = StaticHost::new(&public, "/");
    let mut paths = vec![("/api/".to_string(), true), ("/api".to_string(), true)];
    for list in dayopps::export::oruk::LISTS {
        paths.push((format!("/api/{list}"), true));
        let id = ids(&host, &format!("/{list}")).remove(0);
        paths.push((format!("/api/{list}/{id}"), false));
    }
    for (path, rewritten) in paths {
        let route = azure_route(routes, &path);
        assert_eq!(
            route["headers"]["Content-Type"], "application/json",
            "{path}"
        );
        assert_eq!(
            route["headers"]["Access-Control-Allow-Origin"], "*",
            "{path}"
        );
        match route["rewrite"].as_str() {
            // The file Azure serves is the one the host rules serve at that path.
            Some(file) => {
                assert!(rewritten, "{path}: Azure cannot rewrite an id");
                let served = fs::read(public.join(&file[1..])).expect("the file exists");
                assert_eq!(served, host.fetch(&path).body, "{path}");
            }
            // Azure cannot carry an id into a rewrite: it serves the path as it is (see
            // README, "Open data"), so the standard object paths need another host.
            None => assert!(!rewritten, "{path}: a list or the root without its file"),
        }
    }
}

#[test]
fn serve_answers_the_static_page_files_too() {
    let site = many(60);
    let serve = Serve::start(site.root());
    let (status, second) = serve.get("/services/page/2.json");
    assert_eq!(status, 200);
    assert_eq!(second, serve.get("/services?page=2").1);
    for path in ["/services/page/../../../site.yaml", "/services/page/9.json"] {
        let (status, body) = serve.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.to_string().contains("base_url"), "{path}: {body}");
    }
}

#[test]
fn a_service_at_one_place_is_answered_at_its_place_with_the_same_file() {
    let (_dir, public) = demo_built();
    let api = public.join("api");
    let mut shared = 0;
    for entry in fs::read_dir(api.join("services")).expect("the services") {
        let service = entry.expect("a service").path();
        let Ok(bytes) = fs::read(&service) else {
            continue; // the list's page folder
        };
        let doc: Value = serde_json::from_slice(&bytes).expect("a document");
        let Some([place]) = doc["service_at_locations"].as_array().map(Vec::as_slice) else {
            continue;
        };
        let id = place["id"].as_str().expect("a place's id");
        let at = api.join("service_at_locations").join(format!("{id}.json"));
        let same = fs::read(&at).expect("its place") == bytes;
        assert!(same, "{at:?} is not {service:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let inode = |p: &Path| fs::metadata(p).expect("written").ino();
            if dayopps::tuning::enabled() {
                assert_eq!(inode(&at), inode(&service), "{at:?} is a hard link");
            }
        }
        shared += 1;
    }
    assert!(shared > 10, "{shared} services at one place checked");
}
