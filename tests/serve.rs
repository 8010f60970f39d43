//! `dayopps serve`: the built site over HTTP on loopback, with search answered by the server
//! so it works with JavaScript off.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::serve::start as start_at;
use common::{LISTING, TestSite, repo};

type Server = common::serve::Serving;

/// Starts `dayopps serve` on the demo on a free port and waits for it to say where it listens.
fn start() -> Server {
    start_at(&repo())
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
    for outside in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd",
    ] {
        let (status, body) = get(&server, outside);
        assert_eq!(status, 404, "{outside}: nothing outside the site is served");
        assert!(!body.contains("root:"), "{outside}");
    }
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
    api_pages_follow_one_order(&server, &all, total);

    let (_, garden) = json(&server, "/api/services?text=gardening");
    assert_eq!(
        ordered_names(&garden).first().map(String::as_str),
        Some("Kingsmere Allotment Volunteers")
    );
    assert!(garden["total_items"].as_u64().expect("total") < total as u64);

    api_filters_by_need_day_and_time(&server);
    api_gives_one_service_and_explains_bad_requests(&server, &all);
}

fn api_pages_follow_one_order(server: &Server, all: &serde_json::Value, total: usize) {
    let (_, second) = json(server, "/api/services?per_page=10&page=2");
    assert_eq!(second["size"], 10);
    assert_eq!(second["page_number"], 2);
    assert_eq!(second["total_pages"], total.div_ceil(10));
    assert_eq!(second["first_page"], false);
    assert_eq!(
        ordered_names(&second),
        ordered_names(all)[10..20].to_vec(),
        "pages follow one order"
    );
}

fn api_filters_by_need_day_and_time(server: &Server) {
    let dementia = dementia_term_id(server);
    let (_, by_need) = json(
        server,
        &format!("/api/services?taxonomy_term_id={dementia}&per_page=500"),
    );
    let dementia_services = demo_titles(meets_dementia);
    assert_eq!(names(&by_need), dementia_services);

    let (_, saturday) = json(server, "/api/services?day=SA&per_page=500");
    let on_saturday = demo_titles(|l| {
        sessions(l)
            .iter()
            .any(|s| common::strings(s.get("days")).contains(&"sat".to_string()))
    });
    assert_eq!(names(&saturday), on_saturday);

    let (_, evening) = json(server, "/api/services?start_time=18:00&per_page=500");
    let from_six = demo_titles(|l| {
        sessions(l)
            .iter()
            .any(|s| s["from"].as_str().is_some_and(|t| t >= "18:00"))
    });
    assert_eq!(names(&evening), from_six);

    // Filters together: a session must be on the day and end in time.
    let (_, sunday_early) = json(
        server,
        &format!("/api/services?taxonomy_term_id={dementia}&day=SU&end_time=16:30&per_page=500"),
    );
    let expected = demo_titles(|l| {
        meets_dementia(l)
            && sessions(l).iter().any(|s| {
                common::strings(s.get("days")).contains(&"sun".to_string())
                    && s["to"].as_str().is_some_and(|t| t <= "16:30")
            })
    });
    assert!(expected.len() >= 2, "the demo has services to find");
    assert!(expected.len() < dementia_services.len(), "and to leave out");
    assert_eq!(names(&sunday_early), expected);
}

fn dementia_term_id(server: &Server) -> String {
    let (_, terms) = json(server, "/api/taxonomy_terms/");
    terms["contents"]
        .as_array()
        .expect("terms")
        .iter()
        .find(|t| t["taxonomy"] == "needs" && t["term"] == "dementia")
        .expect("the dementia term")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

fn meets_dementia(l: &serde_yaml::Value) -> bool {
    common::strings(l.get("needs")).contains(&"dementia".to_string())
}

fn api_gives_one_service_and_explains_bad_requests(server: &Server, all: &serde_json::Value) {
    let id = all["contents"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let (status, one) = json(server, &format!("/api/services/{id}"));
    assert_eq!(status, 200);
    assert_eq!(one["name"], all["contents"][0]["name"]);
    let (status, _) = json(server, "/api/services/00000000-0000-0000-0000-000000000000");
    assert_eq!(status, 404);
    let (status, bad) = json(server, "/api/services?page=first");
    assert_eq!(status, 400);
    assert!(
        bad["error"]
            .as_str()
            .expect("error")
            .contains("`page` should be a whole number")
    );
}

/// How long a change may take to show: generous, as CI machines are small and busy.
const PATIENCE: Duration = Duration::from_secs(30);

/// Asks `check` again and again until it holds, or fails the test after `PATIENCE`.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < PATIENCE, "gave up waiting: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves `text` to `path` as many editors do, through a hidden file renamed over it, so the
/// server never sees the file half-written.
fn save(path: &Path, text: &str) {
    let name = path.file_name().expect("a file name").to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    fs::write(&temporary, text).expect("a written file");
    fs::rename(&temporary, path).expect("a saved file");
}

/// Opens `/__dayopps/events<query>` as a browser's EventSource does; its lines arrive on the
/// channel, read by a thread of its own.
fn events(server: &Server, query: &str) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    write!(
        stream,
        "GET /__dayopps/events{query} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        server.address
    )
    .expect("sends");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            match line {
                Ok(line) if tx.send(line.clone()).is_ok() => {}
                _ => break,
            }
        }
    });
    rx
}

/// The next line from the stream that satisfies `want`, within `PATIENCE`.
fn next_line(stream: &mpsc::Receiver<String>, want: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(started.elapsed());
        let line = stream
            .recv_timeout(left)
            .expect("the event stream sends the line in time");
        if want(&line) {
            return line;
        }
    }
}

/// The served page's reload script tag.
const RELOAD: &str = "<script src=\"/__dayopps/reload.js\"";

#[test]
fn an_edit_rebuilds_the_served_site_and_tells_open_pages() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let server = start_at(site.root());
    let (status, page) = get(&server, "/services/garden/");
    assert_eq!(status, 200);
    assert!(page.contains("We grow vegetables."), "{page}");

    let stream = events(&server, "");
    let head = next_line(&stream, |l| {
        l.starts_with("retry:") || l.contains("event-stream")
    });
    assert!(head.to_lowercase().contains("text/event-stream"), "{head}");
    // Once `retry:` has come, the stream is listening: edits from now on are announced.
    next_line(&stream, |l| l.starts_with("retry:"));

    save(
        &site.root().join("content/listings/garden.md"),
        &LISTING.replace("We grow vegetables.", "We grow sunflowers now."),
    );
    // These requests are answered while the event stream is held open.
    eventually("the page shows the edit", || {
        get(&server, "/services/garden/").1.contains("sunflowers")
    });
    let event = next_line(&stream, |l| l.starts_with("data:"));
    assert!(event.contains("\"ok\":true"), "{event}");

    // A page from an older build is told at once that it missed one.
    let late = events(&server, "?since=1");
    let missed = next_line(&late, |l| l.starts_with("data:"));
    assert!(missed.contains("\"ok\":true"), "{missed}");
}

#[test]
fn a_broken_listing_shows_an_error_page_until_it_is_fixed() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let server = start_at(site.root());
    let file = site.root().join("content/listings/garden.md");
    let stream = events(&server, "");
    next_line(&stream, |l| l.starts_with("retry:"));

    let broken = LISTING.replace("summary: Gardening", "summary: [Gardening");
    save(&file, &broken);
    let event = next_line(&stream, |l| l.starts_with("data:"));
    assert!(event.contains("\"ok\":false"), "{event}");
    let (status, page) = get(&server, "/services/garden/");
    assert_eq!(status, 500);
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert_eq!(page.matches("<h1").count(), 1, "one h1: {page}");
    assert!(page.contains("<title>The site did not build"), "{page}");
    assert!(
        page.contains("<code>content/listings/garden.md:5:6</code> error: this is not valid YAML"),
        "names the file, line and column: {page}"
    );
    assert!(page.contains(RELOAD), "it reloads itself once fixed");
    let (status, home) = get(&server, "/");
    assert_eq!((status, home), (500, page), "every page shows the problems");

    save(&file, LISTING);
    next_line(&stream, |l| {
        l.starts_with("data:") && l.contains("\"ok\":true")
    });
    let (status, page) = get(&server, "/services/garden/");
    assert_eq!(status, 200, "recovers without a restart");
    assert!(page.contains("We grow vegetables."));
}

#[test]
fn the_reload_script_is_in_served_html_only() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let server = start_at(site.root());
    for path in [
        "/",
        "/services/garden/",
        "/no/such/page/",
        "/search/?q=garden",
    ] {
        let (_, html) = get(&server, path);
        assert_eq!(html.matches(RELOAD).count(), 1, "{path}: {html}");
        let head = html.split("</head>").next().expect("a head");
        assert!(head.contains(RELOAD), "{path}: the script is in the head");
    }
    let (status, head, script) = get_with_headers(&server, "/__dayopps/reload.js");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(script.contains("new EventSource(\"/__dayopps/events"));
    assert!(script.contains("location.reload()"));
    let (_, css) = get(&server, "/services.csv");
    assert!(!css.contains("__dayopps"), "only HTML gets the script");

    site.build().expect("builds");
    let written = walkdir::WalkDir::new(site.root().join("public"))
        .into_iter()
        .map(|e| e.expect("an entry"))
        .filter(|e| e.file_type().is_file());
    let mut pages = 0;
    for entry in written {
        let text = fs::read(entry.path()).expect("a file");
        let text = String::from_utf8_lossy(&text);
        assert!(
            !text.contains("__dayopps"),
            "{}: dayopps build writes no reload script",
            entry.path().display()
        );
        pages += usize::from(entry.path().extension().is_some_and(|e| e == "html"));
    }
    assert!(pages > 5, "the build wrote pages to check");
}

#[cfg(unix)]
#[test]
fn a_link_put_in_place_of_an_image_is_not_followed() {
    let outside = tempfile::tempdir().expect("a folder");
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "the secret").expect("a secret");
    let site = TestSite::new()
        .file("content/images/garden.png", "png")
        .listing("garden.md", LISTING);
    let server = start_at(site.root());
    assert_eq!(get(&server, "/images/garden.png"), (200, "png".to_string()));

    let image = site.root().join("content/images/garden.png");
    fs::remove_file(&image).expect("removed");
    std::os::unix::fs::symlink(&secret, &image).expect("a link");
    eventually("the image is no longer served", || {
        let (status, body) = get(&server, "/images/garden.png");
        assert!(!body.contains("the secret"), "a link was followed");
        status != 200
    });
}

#[test]
fn serve_says_when_the_theme_cannot_be_minified_once() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let server = start_at(site.root());
    assert!(
        !server.said.iter().any(|l| l.contains("minified")),
        "{:?}",
        server.said
    );
    drop(server);
    // A heading level chosen by Tera: the minifier cannot know what element it is.
    let site = site.file(
        "themes/default/templates/card.html",
        "<li><h{{ level }}>{{ listing.title }}</h{{ level }}></li>\n",
    );
    let server = start_at(site.root());
    assert!(
        server
            .said
            .iter()
            .any(|l| l.contains("note: the theme's card.html cannot be minified once")),
        "{:?}",
        server.said
    );
}

/// The services of a served page's result list, in order, each with what its card says
/// about distance.
fn cards_with_distances(page: &str) -> Vec<(String, String)> {
    let main = page.split("<main").nth(1).expect("a main element");
    main.split("<li class=card>")
        .skip(1)
        .map(|card| {
            let slug = card
                .split("/services/")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .expect("a link to the service")
                .to_string();
            let distance = card
                .split("<dt>Distance</dt>")
                .nth(1)
                .and_then(|rest| rest.split("<dd>").nth(1))
                .and_then(|rest| rest.split("</dd>").next())
                .expect("a distance")
                .to_string();
            (slug, distance)
        })
        .collect()
}

/// What a card should say, worked out from the files (tests/common/near.rs).
fn expected_cards(postcode: &str, keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    common::near::expected(postcode)
        .into_iter()
        .filter(|e| keep(&e.slug))
        .map(|e| {
            let distance = match &e.nearest {
                Some((miles, place)) => format!("{}, {place}", common::near::miles_text(*miles)),
                None => e.why.to_string(),
            };
            (e.slug, distance)
        })
        .collect()
}

/// HTML text as the page writes it: the few characters a place name may hold escaped.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('\'', "&#39;")
}

#[test]
fn near_a_postcode_is_answered_without_javascript_in_the_order_worked_out_from_the_files() {
    let server = start();
    let listings = common::demo_listings();
    for postcode in ["E10 6QX", "E4 9EY", "E17 9PA", "E13 9PJ"] {
        let query = postcode.replace(' ', "+");
        let (status, page) = get(&server, &format!("/search/?q=&near={query}"));
        assert_eq!(status, 200);
        assert!(
            page.contains(&format!("nearest to {postcode} first")),
            "{postcode}"
        );
        let got = cards_with_distances(&page);
        let want = expected_cards(postcode, |_| true);
        assert_eq!(got.len(), want.len(), "{postcode}: every service");
        for ((slug, distance), (want_slug, want_distance)) in got.iter().zip(&want) {
            assert_eq!(slug, want_slug, "{postcode}: the order");
            assert_eq!(distance, &escaped(want_distance), "{postcode} {slug}");
        }

        let needs_dementia = |slug: &str| {
            common::strings(listings[slug].get("needs")).contains(&"dementia".to_string())
        };
        let (status, facet) = get(&server, &format!("/needs/dementia/?near={query}"));
        assert_eq!(status, 200);
        let got: Vec<(String, String)> = cards_with_distances(&facet);
        let want: Vec<(String, String)> = expected_cards(postcode, needs_dementia)
            .into_iter()
            .map(|(s, d)| (s, escaped(&d)))
            .collect();
        assert_eq!(got, want, "{postcode}: the facet page, sorted by distance");
    }
}

#[test]
fn a_postcode_that_cannot_be_used_gets_a_clear_message_not_an_empty_list() {
    let server = start();
    for (path, message) in [
        (
            "/search/?q=&near=E10+9ZZ",
            "E10 9ZZ is not a postcode we know",
        ),
        (
            "/needs/dementia/?near=%3Cscript%3E",
            "is not a postcode: enter a full postcode",
        ),
        ("/needs/dementia/?near=", "Enter a full postcode"),
    ] {
        let (status, page) = get(&server, path);
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("<title>Error: "), "{path}: the title says so");
        assert!(
            page.contains("There is a problem"),
            "{path}: an error summary"
        );
        assert!(page.contains(message), "{path}: {message}");
        assert!(
            !page.contains("<script>"),
            "{path}: what was typed is escaped"
        );
        assert!(
            page.contains("/services/"),
            "{path}: the services are still listed"
        );
    }
    // An empty postcode field in the search form asks for nothing.
    let (_, page) = get(&server, "/search/?q=gardening&near=");
    assert!(!page.contains("There is a problem"));
}

#[test]
fn the_live_oruk_api_finds_places_within_a_distance_of_a_postcode() {
    let server = start();
    let table = common::near::demo_table();
    for postcode in ["E10 6QX", "E4 9EY"] {
        let want = demo_places_within_a_mile(&table, postcode);
        api_lists_places_nearest_first(&server, postcode, &want);
    }
    let (status, bad) = json(&server, "/api/service_at_locations?postcode=nonsense");
    assert_eq!(status, 400);
    assert!(
        bad["error"]
            .as_str()
            .expect("a message")
            .contains("not a postcode")
    );
    let (status, _) = json(
        &server,
        "/api/service_at_locations?postcode=E10+6QX&proximity=far",
    );
    assert_eq!(status, 400);
}

/// Every place within a mile of `postcode`, worked out from the files: (service, metres),
/// nearest first.
fn demo_places_within_a_mile(
    table: &BTreeMap<String, (f64, f64)>,
    postcode: &str,
) -> Vec<(String, f64)> {
    let from = table[postcode];
    let mut want: Vec<(String, f64)> = common::demo_listings()
        .values()
        .flat_map(|l| {
            let title = l["title"].as_str().expect("title").to_string();
            l.get("locations")
                .and_then(|v| v.as_sequence())
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(move |loc| {
                    let own = loc["lat"].as_f64().zip(loc["lon"].as_f64());
                    let at = own.or_else(|| {
                        table
                            .get(&loc["postcode"].as_str()?.to_uppercase())
                            .copied()
                    })?;
                    Some((title.clone(), common::near::miles(from, at) * 1_609.344))
                })
        })
        .filter(|(_, metres)| *metres <= 1_609.0)
        .collect();
    want.sort_by(|a, b| a.1.total_cmp(&b.1));
    want
}

fn api_lists_places_nearest_first(server: &Server, postcode: &str, want: &[(String, f64)]) {
    let query = postcode.replace(' ', "+");
    let (status, page) = json(
        server,
        &format!("/api/service_at_locations?postcode={query}&proximity=1609&per_page=500"),
    );
    assert_eq!(status, 200);
    assert_eq!(page["total_items"], want.len(), "{postcode}");
    let got: Vec<(String, f64)> = page["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .map(|item| {
            assert!(item["location"]["latitude"].is_number(), "{item}");
            (
                item["service"]["name"].as_str().expect("name").to_string(),
                item["x_distance_metres"].as_f64().expect("metres"),
            )
        })
        .collect();
    for ((name, metres), (want_name, want_metres)) in got.iter().zip(want) {
        assert!(
            (metres - want_metres).abs() <= 1.0,
            "{name}: {metres} against {want_metres}"
        );
        if (metres - want_metres).abs() < 0.5 {
            assert_eq!(name, want_name, "{postcode}: nearest first");
        }
    }
    // Paged like the other lists.
    let (_, first) = json(
        server,
        &format!("/api/service_at_locations?postcode={query}&proximity=1609&per_page=2"),
    );
    assert_eq!(first["total_items"], want.len());
    assert_eq!(first["size"], 2.min(want.len()));
}

#[test]
fn the_oruk_api_says_when_the_site_has_no_postcode_table() {
    let site = TestSite::new().listing("garden.md", LISTING);
    let server = start_at(site.root());
    let (status, body) = json(
        &server,
        "/api/service_at_locations?postcode=E10+6QX&proximity=1000",
    );
    assert_eq!(status, 501);
    assert!(
        body["error"]
            .as_str()
            .expect("a message")
            .contains("no postcode table")
    );
    let (status, all) = json(&server, "/api/service_at_locations");
    assert_eq!(status, 200, "without a postcode, every place");
    assert_eq!(all["total_items"], 1);
}

#[test]
fn serves_the_later_pages_of_long_lists() {
    let mut site = TestSite::new();
    for i in 0..60 {
        let title = format!("title: Club {i:02}");
        site = site.listing_with(&format!("club-{i:02}.md"), "title: Garden Club", &title);
    }
    let server = start_at(site.root());
    for path in ["/days/monday/page/2/", "/services/page/2/"] {
        let (status, html) = get(&server, path);
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("Page 2 of 2"), "{path}: {html}");
        assert_eq!(html.matches("<li class=card>").count(), 10, "{path}");
    }
    let (status, _) = get(&server, "/days/monday/page/3/");
    assert_eq!(status, 404);
}

/// 60 services open on Mondays, Club 00 to Club 59, each a little further north than the one
/// before, and a postcode table for near-me.
fn long_site_near_a_postcode() -> TestSite {
    let mut site = TestSite::new()
        .file(
            "site.yaml",
            &format!("{}postcodes: data/postcodes.csv\n", common::SITE),
        )
        .file(
            "data/postcodes.csv",
            "pcds,lat,long\nE10 5QX,51.5600,-0.0100\nE10 6QX,51.5648,-0.0179\n",
        );
    for i in 0..60 {
        let place = format!("postcode: E10 5QX\n    lat: 51.5{i:02}\n    lon: -0.0100");
        let text = LISTING
            .replacen("title: Garden Club", &format!("title: Club {i:02}"), 1)
            .replacen("postcode: E10 5QX", &place, 1);
        site = site.listing(&format!("club-{i:02}.md"), &text);
    }
    site
}

#[test]
fn near_a_postcode_sorts_a_long_list_whole_from_any_of_its_pages() {
    let site = long_site_near_a_postcode();
    let server = start_at(site.root());
    let (status, first) = get(&server, "/days/monday/?near=E10+6QX");
    assert_eq!(status, 200);
    let (status, second) = get(&server, "/days/monday/page/2/?near=E10+6QX");
    assert_eq!(status, 200);
    assert_eq!(first, second, "a later page sorts the same whole list");
    assert!(first.contains("nearest to E10 6QX first"), "{first}");
    assert_eq!(
        first.matches("<li class=card>").count(),
        60,
        "every service"
    );
    assert!(
        !first.contains("class=pagination"),
        "sorted, the list has no pages"
    );
    // The nearest is the furthest north: Club 59, at 51.559.
    let mut order: Vec<&str> = first
        .split("/services/club-")
        .skip(1)
        .map(|rest| &rest[..2])
        .collect();
    order.dedup();
    assert_eq!(&order[..3], ["59", "58", "57"], "nearest first");

    // Without a postcode, a page of 50, whose near-me form goes to the search page with the
    // value as a filter, which sorts the whole list too.
    let (_, plain) = get(&server, "/days/monday/");
    assert_eq!(plain.matches("<li class=card>").count(), 50);
    assert!(
        plain.contains(r#"<input type="hidden" name="days" value="monday">"#),
        "{plain}"
    );
    let (status, search) = get(&server, "/search/?days=monday&near=E10+6QX");
    assert_eq!(status, 200);
    assert!(search.contains("60 services"), "{search}");
    let first_result = search
        .split("/services/club-")
        .nth(1)
        .map(|rest| &rest[..2]);
    assert_eq!(first_result, Some("59"));
}
