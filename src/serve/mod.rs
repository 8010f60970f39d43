//! `dayopps serve`: builds the site in memory and serves it on this machine, answering
//! `/search/?q=…` from the tantivy index so search works with JavaScript off, and the live
//! Open Referral UK API under `/api/`.
//!
//! It is a live preview: it watches the site's files and rebuilds on a change (`live.rs`),
//! open pages reload themselves (`reload.rs`), and a build that fails shows its problems on
//! every page (`failure.rs`) until the files are fixed.
//!
//! `dayopps serve --production` (`production.rs`) serves one build, made at start as `build`
//! writes it, with none of that: no watcher, no reload script, caching headers
//! (`caching.rs`) and a log line a request.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tiny_http::{Header, Request, Response, Server, StatusCode};

mod api;
mod caching;
mod failure;
mod live;
mod production;
mod reload;

pub use production::{Production, serve_production};

use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostics::Diagnostics;
use crate::export;
use crate::load::LoadError;
use crate::model::Site;
use crate::render::near_page;
use crate::render::search_page::{self, Request as SearchRequest};
use crate::render::theme::Theme;
use crate::reuse::{Exported, Reuse, Words};
use crate::search::{self, Query, SearchIndex};
use crate::write::{Content, Output};

use live::Live;

/// The most results the server-rendered search page shows.
const MAX_RESULTS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("could not listen on {address}: {message}\n  help: choose another port with --port")]
    Listen { address: String, message: String },
    #[error("could not watch {} for changes: {message}", path.display())]
    Watch { path: PathBuf, message: String },
    #[error("could not make the search index: {0}")]
    Index(String),
    #[error("could not make the open data: {0}")]
    Exports(String),
    #[error("could not make the live API: {0}")]
    Api(String),
    #[error("could not listen for SIGTERM and Ctrl+C: {0}")]
    Signals(String),
    #[error("could not start any worker to answer requests\n  help: try fewer with --workers")]
    Workers,
}

/// A built site being served.
pub struct Served {
    /// The live API's lookups, made after the pages on a thread of their own, as the search
    /// index is: requests to the API wait for them.
    api: LaterApi,
    site: Arc<Site>,
    theme: Arc<Theme>,
    /// The built site but its search index, by path: nothing is written to disk.
    output: Output,
    search: Later,
    /// Open Referral UK's static files, the feeds and the CSV, made after the pages on a
    /// thread of their own as the search index is.
    exports: Arc<OnceLock<Result<Output, String>>>,
    base_path: String,
}

/// The search index's files and the index opened from them. They are made after the pages,
/// on a thread of their own, so that a saved change shows without waiting for them; a
/// request that needs them waits until they are ready.
struct Search {
    files: Output,
    index: SearchIndex,
}

/// The search index of a build, or why it could not be made, once it is ready.
type Later = Arc<OnceLock<Result<Search, String>>>;

/// An answer before it becomes an HTTP response, so that every HTML page can be given the
/// reload script on its way out, whichever part of the server made it.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// The API is public data, so any site may call it from a browser.
    cors: bool,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            body,
            cors: false,
        }
    }

    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }

    /// The HTTP response; HTML gets the reload script, which knows the build it came from.
    fn into_response(self, build: u64) -> Response<Cursor<Vec<u8>>> {
        let reply = if self.is_html() {
            Reply {
                body: reload::inject(self.body, build),
                ..self
            }
        } else {
            self
        };
        // Every answer may change with the next save, so a reload must never reuse one.
        reply.response("no-cache")
    }

    /// The HTTP response as it is, cached as `cache_control` says.
    fn response(self, cache_control: &str) -> Response<Cursor<Vec<u8>>> {
        let mut response = Response::from_data(self.body).with_status_code(StatusCode(self.status));
        let mut headers = vec![
            header("Content-Type", self.content_type),
            header("Cache-Control", cache_control),
        ];
        if self.cors {
            headers.push(header("Access-Control-Allow-Origin", "*"));
        }
        for h in headers.into_iter().flatten() {
            response = response.with_header(h);
        }
        response
    }
}

/// Builds the site for `http://address/` in memory, reusing what the build before made, and
/// gets ready to serve it; the diagnostics are its warnings.
pub fn prepare(
    options: &BuildOptions,
    address: &str,
    reuse: &mut Reuse,
) -> Result<(Served, Diagnostics), BuildError> {
    let mut options = options.clone();
    options.base_url = Some(format!("http://{address}/"));
    prepare_as_built(&options, reuse)
}

/// Builds the site in memory for the address `options` give (site.yaml's `base_url` unless
/// overridden), the bytes `build` would write, and gets ready to serve it.
fn prepare_as_built(
    options: &BuildOptions,
    reuse: &mut Reuse,
) -> Result<(Served, Diagnostics), BuildError> {
    let built = build::rebuild_pages_in_memory(options, reuse)?;
    let site = Arc::new(built.site);
    let api = api_later(Arc::clone(&site), Arc::clone(&reuse.exported));
    let served = Served {
        exports: exports_later(Arc::clone(&site), Arc::clone(&reuse.exported), &api),
        api,
        base_path: site.config.base_path(),
        search: index_later(Arc::clone(&site), Arc::clone(&reuse.words)),
        site,
        theme: built.theme,
        output: built.output,
    };
    Ok((served, built.diagnostics))
}

/// The theme's note on minification (`Theme::unminifiable_note`), said when the theme first
/// needs it and again only when it changes, not at every rebuild.
#[derive(Default)]
pub(crate) struct ThemeNote(Option<String>);

impl ThemeNote {
    pub(crate) fn say(&mut self, theme: &Theme) {
        let note = theme.unminifiable_note();
        if note != self.0
            && let Some(text) = &note
        {
            eprintln!("{text}");
        }
        self.0 = note;
    }
}

/// Starts making `site`'s search index on a thread of its own. Indexes are made one at a
/// time, each reusing the words the one before analysed; one whose build was replaced before
/// its turn came is not made at all.
fn index_later(site: Arc<Site>, words: Arc<Words>) -> Later {
    let ticket = words.ticket();
    later("dayopps-search-index", move || {
        let files = match words.newest_index(&site, ticket) {
            Ok(Some(files)) => files,
            Ok(None) => return Err(REPLACED.to_string()),
            Err(e) => {
                eprintln!("error: {e}");
                return Err(e.to_string());
            }
        };
        let _t = crate::timings::span("serve: index opened");
        let mut output = Output::default();
        for (path, bytes) in files {
            output.add(&path, bytes);
        }
        let index = SearchIndex::from_output(&output).map_err(|e| e.to_string())?;
        Ok(Search {
            files: output,
            index,
        })
    })
}

/// The live API's lookups, or why they could not be made, once they are ready.
type LaterApi = Arc<OnceLock<Result<api::Api, String>>>;

/// Starts making the live API's lookups of `site` on a thread of their own: a saved change
/// shows without waiting for them (20-30 ms at 10,000 listings).
fn api_later(site: Arc<Site>, exported: Arc<Exported>) -> LaterApi {
    later("dayopps-api", move || {
        let _t = crate::timings::span("serve: API made");
        Ok(api::Api::new(&site, &exported.services()))
    })
}

/// Starts making `site`'s exports on a thread of their own, once `api` is made; ones whose
/// build was replaced before they started are not made at all.
fn exports_later(
    site: Arc<Site>,
    exported: Arc<Exported>,
    api: &LaterApi,
) -> Arc<OnceLock<Result<Output, String>>> {
    let ticket = exported.ticket();
    let api = Arc::clone(api);
    later("dayopps-exports", move || {
        // Both hold the lock on the services' open data while they work on rayon's threads:
        // side by side, a rayon thread waiting for the lock can hold up the work of the one
        // that has it, and neither ends.
        api.wait();
        if !exported.is_newest(ticket) {
            return Err(REPLACED_EXPORTS.to_string());
        }
        let _t = crate::timings::span("serve: exports");
        Ok(build::exports_in_memory(&site, &exported))
    })
}

/// Why a build being served has no search index: only a request that came before the page
/// reloaded can see it.
const REPLACED: &str =
    "a newer build replaced this one before its search index was made: reload the page";

/// Why a build being served has no exports.
const REPLACED_EXPORTS: &str =
    "a newer build replaced this one before its open data was made: reload the page";

/// What `make` makes, on a thread named `name`, once it is ready. Requests wait for it, so it
/// is always set: to the problem, when `make` fails, panics or cannot be started.
fn later<T: Send + Sync + 'static>(
    name: &str,
    make: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Arc<OnceLock<Result<T, String>>> {
    let later = Arc::new(OnceLock::new());
    let into = Arc::clone(&later);
    let thread = name.to_string();
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(make))
                .unwrap_or_else(|_| Err(format!("{thread} stopped unexpectedly: this is a bug")));
            let _ = into.set(made);
        });
    if let Err(e) = spawned {
        let _ = later.set(Err(format!("could not start {name}: {e}")));
    }
    later
}

/// Listens on `bind:port` (0 picks a free port) and serves until the process ends,
/// rebuilding whenever site.yaml, content/ or themes/ change.
pub fn serve(options: &BuildOptions, bind: &str, port: u16) -> Result<(), ServeError> {
    let listen = format!("{bind}:{port}");
    let server = Server::http(&listen).map_err(|e| ServeError::Listen {
        address: listen.clone(),
        message: e.to_string(),
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .map_or(listen.clone(), |a| a.to_string());
    // Watch before the first build, so that a file saved while it runs is not missed.
    let (changes, _watcher) = live::watch(&options.root)?;
    let mut reuse = Reuse::new();
    // The watcher names what changed: a rebuild looks at those listing files alone.
    reuse.files.watch();
    let first = prepare(options, &address, &mut reuse);
    if let Err(BuildError::Load(LoadError::NoSiteFile { .. })) = first {
        // Most likely a mistyped --root: better said at once than served as an error page.
        return first.map(|_| ()).map_err(ServeError::from);
    }
    let title = first
        .as_ref()
        .ok()
        .map(|(s, _)| s.site.config.title.clone());
    let mut note = ThemeNote::default();
    if let Ok((served, _)) = &first {
        note.say(&served.theme);
    }
    let live = Arc::new(Live::new(live::State::from_build(first, live::first_id())));
    live::rebuild_on_change(
        changes,
        options.clone(),
        address.clone(),
        Arc::clone(&live),
        reuse,
        note,
    );
    eprintln!(
        "Serving {} on http://{address}/ (press Ctrl+C to stop; saved changes rebuild the site)",
        title.as_deref().unwrap_or("the site")
    );
    for request in server.incoming_requests() {
        let live = Arc::clone(&live);
        // A thread a request: an open page holds its event stream for as long as it is open,
        // and that must not keep other requests waiting.
        let spawned = std::thread::Builder::new()
            .name("dayopps-request".into())
            .spawn(move || handle(request, &live));
        if let Err(e) = spawned {
            eprintln!("warning: could not answer a request: {e}");
        }
    }
    Ok(())
}

fn handle(request: Request, live: &Live) {
    let url = request.url().to_string();
    let path = url.split_once('?').map_or(url.as_str(), |(p, _)| p);
    if path == reload::EVENTS_PATH {
        reload::stream_events(request, &url, live);
        return;
    }
    let state = live.current();
    let reply = if path == reload::SCRIPT_PATH {
        reload::script()
    } else {
        match &state.site {
            Ok(served) => served.respond(&url),
            Err(failure) => failure.reply(),
        }
    };
    // A browser that went away is no reason to stop serving.
    let _ = request.respond(reply.into_response(state.id));
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

impl Served {
    /// The site being served.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Waits until the search index is ready, or says why it could not be made.
    pub fn wait_for_search(&self) -> Result<(), String> {
        self.search().map(|_| ())
    }

    fn search(&self) -> Result<&Search, String> {
        self.search.wait().as_ref().map_err(String::clone)
    }

    /// Waits until the exports are ready, or says why they could not be made.
    pub fn wait_for_exports(&self) -> Result<(), String> {
        self.exports().map(|_| ())
    }

    /// Waits until the live API is ready, or says why it could not be made.
    pub fn wait_for_api(&self) -> Result<(), String> {
        self.api().map(|_| ())
    }

    fn api(&self) -> Result<&api::Api, String> {
        self.api.wait().as_ref().map_err(String::clone)
    }

    fn exports(&self) -> Result<&Output, String> {
        self.exports.wait().as_ref().map_err(String::clone)
    }

    /// The answer to a request for `url` (a path with an optional query string).
    pub fn respond(&self, url: &str) -> Reply {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if let Some(rest) = path.strip_prefix(&format!("{}api", self.base_path)) {
            let ready = self.api().and_then(|api| Ok((api, &self.search()?.index)));
            let (api, index) = match ready {
                Ok(ready) => ready,
                Err(message) => return server_error(&message),
            };
            if let Some((status, body)) = api.respond(rest.trim_start_matches('/'), query, index) {
                return api_reply(status, &body);
            }
            return self.static_api(rest.trim_matches('/'));
        }
        let search_path = format!("{}{}", self.base_path, search_page::REL);
        let is_search = path == search_path || path == search_path.trim_end_matches('/');
        if is_search && !query.is_empty() && search_page::available(&self.theme) {
            return self.search_page(query);
        }
        if let Some(reply) = self.near_page(path, query) {
            return reply;
        }
        match self.file_for(path) {
            Some((name, bytes)) => Reply::new(200, content_type(Path::new(&name)), bytes),
            None => self.not_found(),
        }
    }

    /// A facet value page asked for with `?near=POSTCODE`, sorted by distance on the server
    /// as the browser sorts it; `None` for any other page.
    fn near_page(&self, path: &str, query: &str) -> Option<Reply> {
        let typed = url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "near")?
            .1;
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        let rel = decoded.strip_prefix(&self.base_path)?;
        let rel = format!("{}/", rel.trim_end_matches('/'));
        let page = near_page::facet_value_page(&self.site, &self.theme, &rel, &typed)?;
        Some(match page {
            Ok(page) => Reply::new(200, "text/html; charset=utf-8", page),
            Err(e) => server_error(&e.to_string()),
        })
    }

    /// The bytes of a built file.
    fn read(&self, name: &str) -> Option<Vec<u8>> {
        let content = match self.output.get(name) {
            Some(content) => content,
            None if search::made_by_index(name) => self.search().ok()?.files.get(name)?,
            None if export::made_by_exports(name) => self.exports().ok()?.get(name)?,
            None => return None,
        };
        match content {
            Content::Bytes(_) | Content::Shared(_) => content.bytes().map(<[u8]>::to_vec),
            Content::Copy(from) => {
                // The build refused links in content/, but this file is read now, so a link
                // put in its place since would reach outside the site.
                let meta = fs::symlink_metadata(from).ok()?;
                if meta.file_type().is_symlink() {
                    return None;
                }
                fs::read(from).ok()
            }
            // serve builds in memory: nothing of its output is on disk.
            Content::Written => None,
        }
    }

    /// The built file a URL path names (a folder means its index.html) and its bytes. Only
    /// files of the built site can be named, so nothing else on the machine is reachable.
    fn file_for(&self, path: &str) -> Option<(String, Vec<u8>)> {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        let rel = decoded.strip_prefix(&self.base_path)?;
        [
            rel.to_string(),
            format!("{rel}index.html"),
            format!("{rel}/index.html"),
        ]
        .into_iter()
        .find_map(|name| Some((name.clone(), self.read(&name)?)))
    }

    /// The static export's other documents (taxonomies, terms), as JSON with CORS.
    fn static_api(&self, rest: &str) -> Reply {
        let body = [format!("api/{rest}/index.json"), format!("api/{rest}")]
            .iter()
            .find_map(|name| self.read(name))
            .and_then(|b| serde_json::from_slice(&b).ok());
        match body {
            Some(value) => api_reply(200, &value),
            None => api_reply(
                404,
                &serde_json::json!({ "error": format!("there is nothing at /api/{rest}") }),
            ),
        }
    }

    fn not_found(&self) -> Reply {
        let body = self
            .read("404.html")
            .unwrap_or_else(|| b"Page not found".to_vec());
        Reply::new(404, "text/html; charset=utf-8", body)
    }

    fn search_page(&self, query_string: &str) -> Reply {
        let mut request = SearchRequest::default();
        for (key, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
            if key == "q" {
                request.query = value.into_owned();
            } else if key == "near" {
                // The search form always sends the field; left empty, it asks for nothing.
                request.near = Some(value.into_owned()).filter(|v| !v.trim().is_empty());
            } else if !value.is_empty() {
                request.filters.push((key.into_owned(), value.into_owned()));
            }
        }
        let query = Query {
            text: request.query.clone(),
            filters: request.filters.clone(),
        };
        let index = match self.search() {
            Ok(search) => &search.index,
            Err(message) => return server_error(&message),
        };
        // Near a postcode, every match: the nearest may be the least relevant.
        let limit = match request.near {
            Some(_) => self.site.listings.len().max(MAX_RESULTS),
            None => MAX_RESULTS,
        };
        let slugs: Vec<String> = match index.search(&query, limit) {
            Ok(hits) => hits.into_iter().map(|h| h.slug).collect(),
            // An unknown filter from a hand-typed URL finds nothing rather than failing.
            Err(_) => Vec::new(),
        };
        match search_page::with_results(&self.site, &self.theme, &request, &slugs) {
            Ok(page) => Reply::new(200, "text/html; charset=utf-8", page),
            Err(e) => server_error(&e.to_string()),
        }
    }
}

fn server_error(message: &str) -> Reply {
    Reply::new(
        500,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn api_reply(status: u16, body: &serde_json::Value) -> Reply {
    let text = serde_json::to_string_pretty(body).unwrap_or_default();
    Reply {
        cors: true,
        ..Reply::new(status, "application/json", text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_made_later_is_always_set_even_when_making_it_panics() {
        let made = later("test-made", || Ok::<_, String>(7));
        assert_eq!(made.wait(), &Ok(7));
        let failed = later("test-failed", || Err::<u8, _>("no index".to_string()));
        assert_eq!(failed.wait(), &Err("no index".to_string()));
        let panicked = later("test-panicked", || -> Result<u8, String> {
            panic!("a bug")
        });
        let message = panicked.wait().as_ref().unwrap_err();
        assert!(
            message.contains("test-panicked stopped unexpectedly"),
            "{message}"
        );
    }
}
