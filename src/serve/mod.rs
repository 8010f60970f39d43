//! `dayopps serve`: builds the site in memory and serves it on this machine, answering
//! `/search/?q=…` from the tantivy index so search works with JavaScript off, and the live
//! Open Referral UK API under `/api/`.

use std::fs;
use std::io::Cursor;
use std::path::Path;

use tiny_http::{Header, Request, Response, Server, StatusCode};

mod api;

use crate::build::{self, BuildError, BuildOptions};
use crate::model::Site;
use crate::render::search_page::{self, Request as SearchRequest};
use crate::render::theme::Theme;
use crate::search::{Query, SearchIndex};
use crate::write::{self, Content, Output};

/// The most results the server-rendered search page shows.
const MAX_RESULTS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("could not listen on {address}: {message}\n  help: choose another port with --port")]
    Listen { address: String, message: String },
}

/// A built site being served.
pub struct Served {
    api: api::Api,
    site: Site,
    theme: Theme,
    index: SearchIndex,
    /// The built site, by path: nothing is written to disk.
    output: Output,
    base_path: String,
}

/// Builds the site for `http://address/` in memory and gets ready to serve it.
pub fn prepare(options: &BuildOptions, address: &str) -> Result<Served, ServeError> {
    let mut options = options.clone();
    options.base_url = Some(format!("http://{address}/"));
    let (site, _) = build::load_site(&options)?;
    let built = build::build_in_memory(&options)?;
    if !built.diagnostics.is_empty() {
        eprint!("{}", built.diagnostics);
    }
    let theme = Theme::load(&options.root.join("themes").join(&site.config.theme))
        .map_err(BuildError::from)?;
    let index = SearchIndex::from_output(&built.output).map_err(BuildError::from)?;
    Ok(Served {
        api: api::Api::new(&site),
        base_path: site.config.base_path(),
        site,
        theme,
        index,
        output: built.output,
    })
}

/// Listens on `bind:port` (0 picks a free port) and serves until the process ends.
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
    let served = prepare(options, &address)?;
    eprintln!(
        "Serving {} on http://{address}/ (press Ctrl+C to stop)",
        served.site.config.title
    );
    for request in server.incoming_requests() {
        let response = served.respond(request.url());
        // A browser that went away is no reason to stop serving.
        let _ = request_respond(request, response);
    }
    Ok(())
}

fn request_respond(request: Request, response: Response<Cursor<Vec<u8>>>) -> std::io::Result<()> {
    request.respond(response)
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
    /// The response to a request for `url` (a path with an optional query string).
    pub fn respond(&self, url: &str) -> Response<Cursor<Vec<u8>>> {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if let Some(rest) = path.strip_prefix(&format!("{}api", self.base_path)) {
            if let Some((status, body)) =
                self.api
                    .respond(rest.trim_start_matches('/'), query, &self.index)
            {
                return api_response(status, &body);
            }
            return self.static_api(rest.trim_matches('/'));
        }
        let search_path = format!("{}{}", self.base_path, search_page::REL);
        let is_search = path == search_path || path == search_path.trim_end_matches('/');
        if is_search && !query.is_empty() && search_page::available(&self.theme) {
            return self.search(query);
        }
        match self.file_for(path) {
            Some((name, bytes)) => {
                with_type(Response::from_data(bytes), content_type(Path::new(&name)))
            }
            None => self.not_found(),
        }
    }

    /// The bytes of a built file.
    fn read(&self, name: &str) -> Option<Vec<u8>> {
        match self.output.get(name)? {
            Content::Bytes(b) => Some(b.clone()),
            Content::Copy(from) => fs::read(from).ok(),
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
    fn static_api(&self, rest: &str) -> Response<Cursor<Vec<u8>>> {
        let body = [format!("api/{rest}/index.json"), format!("api/{rest}")]
            .iter()
            .find_map(|name| self.read(name))
            .and_then(|b| serde_json::from_slice(&b).ok());
        match body {
            Some(value) => api_response(200, &value),
            None => api_response(
                404,
                &serde_json::json!({ "error": format!("there is nothing at /api/{rest}") }),
            ),
        }
    }

    fn not_found(&self) -> Response<Cursor<Vec<u8>>> {
        let body = self
            .read("404.html")
            .unwrap_or_else(|| b"Page not found".to_vec());
        with_type(Response::from_data(body), "text/html; charset=utf-8")
            .with_status_code(StatusCode(404))
    }

    fn search(&self, query_string: &str) -> Response<Cursor<Vec<u8>>> {
        let mut request = SearchRequest::default();
        for (key, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
            if key == "q" {
                request.query = value.into_owned();
            } else if !value.is_empty() {
                request.filters.push((key.into_owned(), value.into_owned()));
            }
        }
        let query = Query {
            text: request.query.clone(),
            filters: request.filters.clone(),
        };
        let slugs: Vec<String> = match self.index.search(&query, MAX_RESULTS) {
            Ok(hits) => hits.into_iter().map(|h| h.slug).collect(),
            // An unknown filter from a hand-typed URL finds nothing rather than failing.
            Err(_) => Vec::new(),
        };
        match search_page::with_results(&self.site, &self.theme, &request, &slugs) {
            Ok(html) => with_type(
                Response::from_data(write::minify(html.as_bytes())),
                "text/html; charset=utf-8",
            ),
            Err(e) => {
                Response::from_data(e.to_string().into_bytes()).with_status_code(StatusCode(500))
            }
        }
    }
}

/// JSON for anyone: the API is public data, so any site may call it from a browser.
fn api_response(status: u16, body: &serde_json::Value) -> Response<Cursor<Vec<u8>>> {
    let text = serde_json::to_string_pretty(body).unwrap_or_default();
    let response = with_type(Response::from_data(text.into_bytes()), "application/json")
        .with_status_code(StatusCode(status));
    match header("Access-Control-Allow-Origin", "*") {
        Some(h) => response.with_header(h),
        None => response,
    }
}

fn with_type(response: Response<Cursor<Vec<u8>>>, content_type: &str) -> Response<Cursor<Vec<u8>>> {
    match header("Content-Type", content_type) {
        Some(h) => response.with_header(h),
        None => response,
    }
}
