//! A load test of `dayopps serve --production` on loopback: a bounded number of clients, each
//! on one kept-alive connection, ask for a mix of URLs for a bounded time, and the requests per
//! second, the median and 99th percentile latency and the errors are printed as Markdown.
//! Used by bench/load.sh.
//!
//!     cargo run --release --example loadtest -- ADDRESS [CLIENTS] [SECONDS]
//!
//! The mix is found on the server first: pages from its sitemap, ids from its API. A quarter
//! of the requests are pages, a quarter API lists (pages of services, services by term or by
//! words), a quarter API objects (services and terms by id) and a quarter the server-side
//! search. Any answer other than 200, and any broken connection, is an error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Bounds, so that a typo cannot start a flood.
const MAX_CLIENTS: usize = 256;
const MAX_SECONDS: u64 = 600;
/// How long one answer may take before the request counts as an error.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The kinds of request, in the order the table lists them.
const KINDS: [&str; 4] = ["page", "API list", "API object", "search"];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(address) = args.next() else {
        bail!("usage: loadtest ADDRESS [CLIENTS] [SECONDS]");
    };
    let clients: usize = args.next().map_or(Ok(16), |c| c.parse())?;
    let seconds: u64 = args.next().map_or(Ok(30), |s| s.parse())?;
    if !(1..=MAX_CLIENTS).contains(&clients) || !(1..=MAX_SECONDS).contains(&seconds) {
        bail!("CLIENTS must be 1 to {MAX_CLIENTS} and SECONDS 1 to {MAX_SECONDS}");
    }
    let mix = mix(&address)?;
    eprintln!(
        "loadtest: {} URLs; {clients} clients for {seconds} s on {address}",
        mix.len()
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|n| {
            let address = address.clone();
            // Each client starts at its own place in the mix, so they do not ask in step.
            let mine: Vec<(usize, String)> = mix
                .iter()
                .cycle()
                .skip(n * mix.len() / clients)
                .take(mix.len())
                .cloned()
                .collect();
            std::thread::spawn(move || client(&address, &mine, deadline))
        })
        .collect();
    let mut all = Tally::default();
    for thread in threads {
        let tally = thread
            .join()
            .map_err(|_| anyhow::anyhow!("a client stopped"))?;
        all.add(tally);
    }
    print!("{}", all.table(started.elapsed(), clients));
    Ok(())
}

/// What one client saw: the latency of every request in microseconds, by kind, and errors.
#[derive(Default)]
struct Tally {
    micros: [Vec<u32>; KINDS.len()],
    errors: [usize; KINDS.len()],
    /// The first few errors, to say what went wrong.
    said: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for k in 0..KINDS.len() {
            self.micros[k].extend(&other.micros[k]);
            self.errors[k] += other.errors[k];
        }
        self.said.extend(other.said);
    }

    fn error(&mut self, kind: usize, what: String) {
        self.errors[kind] += 1;
        if self.said.len() < 5 {
            self.said.push(what);
        }
    }

    fn table(&mut self, took: Duration, clients: usize) -> String {
        let secs = took.as_secs_f64();
        let mut out = format!(
            "{clients} clients for {secs:.1} s\n\n\
             | requests | count | per second | p50 ms | p99 ms | max ms | errors |\n\
             |---|---|---|---|---|---|---|\n"
        );
        let mut every: Vec<u32> = Vec::new();
        for (k, kind) in KINDS.iter().enumerate() {
            if self.micros[k].is_empty() && self.errors[k] == 0 {
                continue;
            }
            every.extend(&self.micros[k]);
            out += &row(kind, &mut self.micros[k], self.errors[k], secs);
        }
        let errors = self.errors.iter().sum();
        out += &row("**all**", &mut every, errors, secs);
        for what in &self.said {
            out += &format!("\nerror: {what}");
        }
        out + "\n"
    }
}

fn row(name: &str, micros: &mut [u32], errors: usize, secs: f64) -> String {
    micros.sort_unstable();
    let at = |q: f64| {
        let i = ((micros.len() as f64 * q).ceil() as usize).clamp(1, micros.len().max(1)) - 1;
        micros.get(i).map_or(0.0, |&m| f64::from(m) / 1000.0)
    };
    format!(
        "| {name} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {errors} |\n",
        micros.len() + errors,
        (micros.len() + errors) as f64 / secs,
        at(0.50),
        at(0.99),
        at(1.0),
    )
}

/// Asks for `mix` in turn, on one kept-alive connection (a new one after an error), until
/// `deadline`.
fn client(address: &str, mix: &[(usize, String)], deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut connection: Option<Connection> = None;
    for (kind, path) in mix.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let started = Instant::now();
        let answer = match connection.take() {
            Some(c) => Ok(c),
            None => Connection::open(address),
        }
        .and_then(|mut c| c.get(address, path).map(|status| (c, status)));
        match answer {
            Ok((c, 200)) => {
                let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                tally.micros[*kind].push(micros);
                connection = c.keep_alive.then_some(c);
            }
            Ok((c, status)) => {
                tally.error(*kind, format!("{status} for {path}"));
                connection = c.keep_alive.then_some(c);
            }
            Err(e) => tally.error(*kind, format!("{path}: {e:#}")),
        }
    }
    tally
}

struct Connection {
    reader: BufReader<TcpStream>,
    keep_alive: bool,
}

impl Connection {
    fn open(address: &str) -> anyhow::Result<Connection> {
        let stream = TcpStream::connect(address).context("connecting")?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        Ok(Connection {
            reader: BufReader::new(stream),
            keep_alive: true,
        })
    }

    /// A GET of `path`; the answer's status, its body read to the end and dropped.
    fn get(&mut self, address: &str, path: &str) -> anyhow::Result<u16> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
        self.reader.get_mut().write_all(request.as_bytes())?;
        let (status, _) = self.read_answer()?;
        Ok(status)
    }

    fn read_answer(&mut self) -> anyhow::Result<(u16, Vec<u8>)> {
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("not an HTTP answer: {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("the connection closed in the headers");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            let (name, value) = (name.to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = Some(value.parse::<usize>()?),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => self.keep_alive = !value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let body = match (chunked, length) {
            (true, _) => self.read_chunks()?,
            (false, Some(n)) => self.read_exactly(n)?,
            (false, None) => {
                self.keep_alive = false;
                let mut body = Vec::new();
                self.reader.read_to_end(&mut body)?;
                body
            }
        };
        Ok((status, body))
    }

    fn read_exactly(&mut self, n: usize) -> anyhow::Result<Vec<u8>> {
        let mut body = vec![0; n];
        self.reader.read_exact(&mut body)?;
        Ok(body)
    }

    fn read_chunks(&mut self) -> anyhow::Result<Vec<u8>> {
        let mut body = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let size = line.trim_end().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16)
                .with_context(|| format!("not a chunk size: {line:?}"))?;
            body.extend(self.read_exactly(size)?);
            line.clear();
            self.reader.read_line(&mut line)?;
            if size == 0 {
                return Ok(body);
            }
        }
    }
}

/// A GET outside the measured run, for finding the mix: the body of a 200.
fn fetch(address: &str, path: &str) -> anyhow::Result<Vec<u8>> {
    let mut connection = Connection::open(address)?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    connection.reader.get_mut().write_all(request.as_bytes())?;
    match connection.read_answer()? {
        (200, body) => Ok(body),
        (status, _) => bail!("{path} answered {status}"),
    }
}

/// The URLs asked for, with their kind: pages from the sitemap, ids from the API, and
/// searches, interleaved so that any stretch of the list has the same mix.
fn mix(address: &str) -> anyhow::Result<Vec<(usize, String)>> {
    let pages = sitemap_paths(&fetch(address, "/sitemap.xml")?);
    let services = ids(&fetch(address, "/api/services?per_page=200")?)?;
    let terms = ids(&fetch(address, "/api/taxonomy_terms?per_page=50")?)?;
    if pages.is_empty() || services.is_empty() || terms.is_empty() {
        bail!("the server listed no pages, services or taxonomy terms to ask for");
    }
    let lists: Vec<String> = (1..=20)
        .map(|page| format!("/api/services?page={page}&per_page=20"))
        .chain(
            terms
                .iter()
                .map(|t| format!("/api/services?taxonomy_term_id={t}")),
        )
        .chain(WORDS.iter().map(|w| format!("/api/services?text={w}")))
        .chain(["/api/service_at_locations?page=3".to_string()])
        .collect();
    let objects: Vec<String> = services
        .iter()
        .map(|id| format!("/api/services/{id}"))
        .chain(terms.iter().map(|t| format!("/api/taxonomy_terms/{t}")))
        .collect();
    let searches: Vec<String> = WORDS.iter().map(|w| format!("/search/?q={w}")).collect();
    let groups = [(0, pages), (1, lists), (2, objects), (3, searches)];
    // Page, list, object, search, in turn, each list cycling through its own URLs.
    let mut mix = Vec::new();
    for i in 0..groups.iter().map(|(_, g)| g.len()).max().unwrap_or(0) {
        for (kind, group) in &groups {
            mix.push((*kind, group[i % group.len()].clone()));
        }
    }
    Ok(mix)
}

/// Words the generated listings use (from `gen_listings.py`'s domain terms), alone and in
/// pairs; `+` is a space in a query string.
const WORDS: [&str; 8] = [
    "garden",
    "dementia",
    "cookery",
    "music+saturday",
    "autism+monday",
    "travel+training",
    "older+people+lunch",
    "art",
];

/// The path of every `<loc>` in a sitemap.
fn sitemap_paths(xml: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(xml);
    text.split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .filter_map(|url| {
            let after_scheme = url.split_once("://")?.1;
            Some(format!("/{}", after_scheme.split_once('/')?.1))
        })
        .collect()
}

/// The `id` of each item of an API list.
fn ids(body: &[u8]) -> anyhow::Result<Vec<String>> {
    let list: serde_json::Value = serde_json::from_slice(body)?;
    let contents = list["contents"]
        .as_array()
        .context("a list with no contents")?;
    Ok(contents
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_string))
        .collect())
}
