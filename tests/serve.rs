//! `dayopps serve`: the built site over HTTP on loopback, with search answered by the server
//! so it works with JavaScript off.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::repo;

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dayopps serve` on a free port and waits for it to say where it listens.
fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["serve", "--port", "0", "--root"])
        .arg(repo())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dayopps serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve says where it listens")
            .expect("a line");
        if let Some(rest) = line.split("on http://").nth(1) {
            break rest.split('/').next().expect("an address").to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// A GET on loopback: the status code and the body.
fn get(server: &Server, path: &str) -> (u16, String) {
    let (status, _, body) = get_with_headers(server, path);
    (status, body)
}

fn get_with_headers(server: &Server, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n",
        server.address
    )
    .expect("sends");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_lowercase(), body.to_string())
}

#[test]
fn serves_the_site_and_answers_search_without_javascript() {
    let server = start();
    let (status, home) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Day Opportunities Directory"));

    let (status, page) = get(&server, "/search/?q=gardening");
    assert_eq!(status, 200);
    let main = page.split("<main").nth(1).expect("a main element");
    assert!(
        main.contains("/services/riverside-garden-project/"),
        "server-rendered results: {main}"
    );
    assert!(
        main.contains("value=gardening") || main.contains("value=\"gardening\""),
        "the query stays in the box"
    );

    let (_, filtered) = get(&server, "/search/?q=&needs=dementia&days=saturday");
    let main = filtered.split("<main").nth(1).expect("main");
    assert!(main.contains("/services/maple-lodge-day-club/"), "{main}");
    assert!(
        !main.contains("/services/riverside-garden-project/"),
        "filters apply: {main}"
    );
    assert!(main.contains("checked"), "the chosen filters stay ticked");

    let (_, none) = get(&server, "/search/?q=zzqxv");
    assert!(
        !none
            .split("<main")
            .nth(1)
            .expect("main")
            .contains("/services/riverside"),
        "no results for nonsense"
    );

    let (status, _) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    let (status, _) = get(&server, "/../../etc/passwd");
    assert_eq!(status, 404, "nothing outside the site is served");
    let (status, css) = get(&server, "/search/meta.json");
    assert_eq!(status, 200);
    assert!(css.contains("\"facets\""));
}

fn json(server: &Server, path: &str) -> (u16, serde_json::Value) {
    let (status, head, body) = get_with_headers(server, path);
    assert!(
        head.contains("access-control-allow-origin: *"),
        "{path}: CORS header missing"
    );
    assert!(
        !body.contains(": null"),
        "{path}: empty fields are omitted, not null"
    );
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, value)
}

fn names(page: &serde_json::Value) -> BTreeSet<String> {
    ordered_names(page).into_iter().collect()
}

fn ordered_names(page: &serde_json::Value) -> Vec<String> {
    page["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect()
}

/// Titles of the demo's listings that satisfy `keep`, read from the listing files.
fn demo_titles(keep: impl Fn(&serde_yaml::Value) -> bool) -> BTreeSet<String> {
    common::demo_listings()
        .values()
        .filter(|l| keep(l))
        .map(|l| l["title"].as_str().expect("title").to_string())
        .collect()
}

fn sessions(l: &serde_yaml::Value) -> Vec<serde_yaml::Value> {
    l.get("schedule")
        .and_then(|s| s.as_sequence())
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_live_oruk_api_searches_filters_and_pages() {
    let server = start();
    let total = common::demo_listings().len();
    let (status, all) = json(&server, "/api/services");
    assert_eq!(status, 200);
    assert_eq!(all["total_items"], total);
    assert_eq!(all["page_number"], 1);

    let (_, second) = json(&server, "/api/services?per_page=10&page=2");
    assert_eq!(second["size"], 10);
    assert_eq!(second["page_number"], 2);
    assert_eq!(second["total_pages"], total.div_ceil(10));
    assert_eq!(second["first_page"], false);
    assert_eq!(
        ordered_names(&second),
        ordered_names(&all)[10..20].to_vec(),
        "pages follow one order"
    );

    let (_, garden) = json(&server, "/api/services?text=gardening");
    assert_eq!(
        ordered_names(&garden).first().map(String::as_str),
        Some("Kingsmere Allotment Volunteers")
    );
    assert!(garden["total_items"].as_u64().expect("total") < total as u64);

    let (_, terms) = json(&server, "/api/taxonomy_terms/");
    let dementia = terms["contents"]
        .as_array()
        .expect("terms")
        .iter()
        .find(|t| t["taxonomy"] == "needs" && t["term"] == "dementia")
        .expect("the dementia term")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (_, by_need) = json(
        &server,
        &format!("/api/services?taxonomy_term_id={dementia}&per_page=500"),
    );
    let dementia_services =
        demo_titles(|l| common::strings(l.get("needs")).contains(&"dementia".to_string()));
    assert_eq!(names(&by_need), dementia_services);

    let (_, saturday) = json(&server, "/api/services?day=SA&per_page=500");
    let on_saturday = demo_titles(|l| {
        sessions(l)
            .iter()
            .any(|s| common::strings(s.get("days")).contains(&"sat".to_string()))
    });
    assert_eq!(names(&saturday), on_saturday);

    let (_, evening) = json(&server, "/api/services?start_time=18:00&per_page=500");
    let from_six = demo_titles(|l| {
        sessions(l)
            .iter()
            .any(|s| s["from"].as_str().is_some_and(|t| t >= "18:00"))
    });
    assert_eq!(names(&evening), from_six);

    let id = all["contents"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let (status, one) = json(&server, &format!("/api/services/{id}"));
    assert_eq!(status, 200);
    assert_eq!(one["name"], all["contents"][0]["name"]);
    let (status, _) = json(
        &server,
        "/api/services/00000000-0000-0000-0000-000000000000",
    );
    assert_eq!(status, 404);
    let (status, bad) = json(&server, "/api/services?page=first");
    assert_eq!(status, 400);
    assert!(
        bad["error"]
            .as_str()
            .expect("error")
            .contains("`page` should be a whole number")
    );
}
