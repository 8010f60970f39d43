//! `dayopps serve --production`: the demo built once and served read-only on loopback, with
//! the live API and the server-side search, caching headers, a log line a request, no reload
//! script, nothing written, and a clean stop on SIGTERM.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TestSite, copy_dir, repo};

/// The fixtures' day (1 June 2026), so the build and the server make the same pages.
const EPOCH: &str = "1780272000";

struct Server {
    child: Child,
    address: String,
    /// Standard output: the request log, a line at a time.
    log: mpsc::Receiver<String>,
    /// Standard error after the line saying where it listens.
    rest: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of the demo's sources (not its output), which the server must leave as they are.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).expect("site.yaml");
    for folder in ["content", "data", "themes"] {
        copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    dir
}

fn lines(from: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["serve", "--production", "--port", "0", "--workers", "3"])
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dayopps serve --production starts");
    let log = lines(child.stdout.take().expect("stdout"));
    let rest = lines(child.stderr.take().expect("stderr"));
    let address = loop {
        let line = rest
            .recv_timeout(Duration::from_secs(120))
            .expect("the server says where it listens");
        if let Some(after) = line.split("on http://").nth(1) {
            assert!(line.contains("production"), "{line}");
            break after.split('/').next().expect("an address").to_string();
        }
    };
    Server {
        child,
        address,
        log,
        rest,
    }
}

struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

fn request(server: &Server, method: &str, path: &str) -> Answer {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: x\r\n\r\n").expect("sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("an answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut head_lines = head.lines();
    let status = head_lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let headers = head_lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(server: &Server, path: &str) -> Answer {
    request(server, "GET", path)
}

/// Every file under `root` and its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("inside");
            let bytes = if e.file_type().is_file() {
                fs::read(e.path()).expect("readable")
            } else {
                Vec::new()
            };
            (rel.display().to_string(), bytes)
        })
        .collect()
}

fn terminate(server: &mut Server) -> ExitStatus {
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGTERM sent");
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().expect("waits") {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_what_build_writes_with_the_api_and_search_and_writes_nothing() {
    let site = demo_copy();
    let before = tree(site.path());
    let server = start(site.path());
    let built = tempfile::tempdir().expect("a temporary folder");
    let out = built.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .status()
        .expect("build runs");
    assert!(status.success());
    pages_are_what_build_wrote(&server, &out);

    let search = get(&server, "/search/?q=garden");
    assert_eq!(search.status, 200);
    assert!(search.text().contains("Riverside Garden Project"));
    assert_eq!(search.header("cache-control"), "private, no-store");

    the_api_lists_and_finds_by_id(&server);
    missing_pages_and_other_methods_are_answered(&server);

    assert_eq!(
        tree(site.path()),
        before,
        "the server changed the site's folder"
    );
}

/// The same bytes as the build, for the site's own address: no reload script in sight.
fn pages_are_what_build_wrote(server: &Server, out: &Path) {
    for (path, file) in [
        ("/", "index.html"),
        (
            "/services/riverside-garden-project/",
            "services/riverside-garden-project/index.html",
        ),
        ("/search/", "search/index.html"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/services.csv", "services.csv"),
    ] {
        let answer = get(server, path);
        assert_eq!(answer.status, 200, "{path}");
        let want = fs::read(out.join(file)).expect("built");
        assert!(answer.body == want, "{path} is not what build wrote");
        assert!(!answer.text().contains("__dayopps"), "{path}");
        assert_eq!(
            answer.header("cache-control"),
            "public, max-age=300",
            "{path}"
        );
        assert_eq!(answer.header("x-content-type-options"), "nosniff");
    }
}

fn the_api_lists_and_finds_by_id(server: &Server) {
    let list = get(server, "/api/services?text=garden&per_page=5");
    assert_eq!(list.status, 200);
    assert_eq!(list.header("access-control-allow-origin"), "*");
    let json: serde_json::Value = serde_json::from_slice(&list.body).expect("JSON");
    let id = json["contents"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let one = get(server, &format!("/api/services/{id}"));
    assert_eq!(one.status, 200);
    let service: serde_json::Value = serde_json::from_slice(&one.body).expect("JSON");
    assert_eq!(service["id"], id.as_str());
    assert_eq!(get(server, "/api/services?page=x").status, 400);
}

fn missing_pages_and_other_methods_are_answered(server: &Server) {
    let missing = get(server, "/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), "public, max-age=60");
    let post = request(server, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    let head = request(server, "HEAD", "/");
    assert_eq!((head.status, head.body.len()), (200, 0));
}

#[test]
fn logs_a_line_a_request_without_what_people_typed() {
    let site = demo_copy();
    let server = start(site.path());
    get(&server, "/");
    get(&server, "/search/?q=garden&near=E10+6QX");
    get(&server, "/nothing-here");
    let log: Vec<String> = (0..3)
        .map(|_| {
            server
                .log
                .recv_timeout(Duration::from_secs(10))
                .expect("a log line")
        })
        .collect();
    let shape = regex::Regex::new(r"^(GET) (\S+) (\d{3}) (\d+) \d+\.\dms$").expect("a regex");
    // Each worker logs once its answer is sent, so lines from different workers may come
    // in either order: compare them sorted.
    let mut seen: Vec<(String, String)> = log
        .iter()
        .map(|line| {
            let c = shape.captures(line).unwrap_or_else(|| panic!("{line:?}"));
            (c[2].to_string(), c[3].to_string())
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("/".to_string(), "200".to_string()),
            ("/nothing-here".to_string(), "404".to_string()),
            ("/search/?…".to_string(), "200".to_string()),
        ]
    );
    assert!(
        !log.iter()
            .any(|l| l.contains("E10") || l.contains("garden"))
    );
}

#[test]
fn sigterm_answers_what_was_asked_and_exits_zero() {
    let site = demo_copy();
    let mut server = start(site.path());
    // More searches than three workers answer before the signal: some are being answered
    // and the rest are waiting in the queue when it comes, and every one is still answered.
    let asking: Vec<_> = (0..24)
        .map(|_| {
            let address = server.address.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(address).expect("connects");
                write!(stream, "GET /search/?q=club HTTP/1.0\r\n\r\n").expect("sent");
                let mut raw = String::new();
                stream.read_to_string(&mut raw).expect("an answer");
                raw
            })
        })
        .collect();
    // Long enough for the requests to be read and queued before the signal.
    std::thread::sleep(Duration::from_millis(150));
    let status = terminate(&mut server);
    assert!(status.success(), "exit status {status:?}");
    for asked in asking {
        let answered = asked.join().expect("the client thread");
        assert!(answered.starts_with("HTTP/1.0 200 OK"), "{answered:.200}");
    }
    let logged = server.log.try_iter().count();
    assert_eq!(logged, 24, "one log line for each request answered");
    let said: Vec<String> = server.rest.try_iter().collect();
    assert!(said.iter().any(|l| l.starts_with("Stopping")), "{said:?}");
    assert!(said.iter().any(|l| l.starts_with("Stopped")), "{said:?}");
}

#[test]
fn a_site_with_errors_is_not_served_and_its_problems_are_located() {
    let site = TestSite::new().listing_with("broken.md", "area: north", "area: nowhere");
    let output = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["serve", "--production", "--port", "0", "--root"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("broken.md:"), "{said}");
    assert!(!said.contains("on http://"), "{said}");
}

#[test]
fn the_options_of_production_need_production() {
    let output = Command::new(env!("CARGO_BIN_EXE_dayopps"))
        .args(["serve", "--workers", "2"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("--production"), "{said}");
}
