//! `dayopps serve`: the built site over HTTP on loopback, with search answered by the server
//! so it works with JavaScript off.

mod common;

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
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
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
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
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
