//! `dayopps serve --production`: the site built once at start, in memory, as `build` writes
//! it for its own `base_url`, then served read-only by a small pool of workers, with the live
//! ORUK API and the search that works with JavaScript off. No watcher, no reload script.
//!
//! It keeps nothing between requests and writes nothing, and two builds of the same files are
//! byte-identical, so every instance started from the same files gives the same answer to
//! the same request: any number of them can sit behind a load balancer.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use signal_hook::consts::signal::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use tiny_http::{Method, Request, Server};

use super::{Reply, ServeError, Served, caching, failure, header, prepare_as_built};
use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::Format;
use crate::reuse::Reuse;
use crate::text::plural;

/// The most characters of a path a log line shows.
const MAX_LOGGED_PATH: usize = 300;

/// Where to listen and how many requests to answer at once.
#[derive(Debug, Clone)]
pub struct Production {
    pub bind: String,
    pub port: u16,
    /// Workers answering requests; each answers one at a time.
    pub workers: usize,
}

impl Production {
    /// Two workers a core: a worker waiting on a slow client leaves the core to another.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism().map_or(4, |n| (n.get() * 2).clamp(2, 32))
    }
}

/// Builds the site, listens, and serves until SIGTERM or Ctrl+C, then answers the requests
/// already received and returns.
pub fn serve_production(options: &BuildOptions, how: &Production) -> Result<(), ServeError> {
    let served = Arc::new(build_once(options)?);
    // Only once the site is ready, so that a load balancer's health check fails until then.
    let listen = format!("{}:{}", how.bind, how.port);
    let server = Server::http(&listen).map_err(|e| ServeError::Listen {
        address: listen.clone(),
        message: e.to_string(),
    })?;
    let server = Arc::new(server);
    let address = server
        .server_addr()
        .to_ip()
        .map_or(listen.clone(), |a| a.to_string());
    let workers = how.workers.max(1);
    let signals = stop_on_signal(Arc::clone(&server), workers)?;
    eprintln!(
        "Serving {} ({}) on http://{address}/ with {} (production: read-only, no reload; \
         SIGTERM or Ctrl+C stops it)",
        served.site.config.title,
        served.site.config.base_url,
        plural(workers, "worker")
    );
    let pool: Vec<_> = (0..workers)
        .map(|n| {
            let server = Arc::clone(&server);
            let served = Arc::clone(&served);
            std::thread::Builder::new()
                .name(format!("dayopps-worker-{n}"))
                .spawn(move || work(&server, &served))
        })
        .collect();
    let mut started = 0;
    for worker in pool {
        match worker {
            Ok(handle) => {
                started += 1;
                let _ = handle.join();
            }
            Err(e) => eprintln!("warning: could not start a worker: {e}"),
        }
    }
    if started == 0 {
        return Err(ServeError::Workers);
    }
    signals.close();
    eprintln!("Stopped: every request received was answered.");
    Ok(())
}

/// The site as `build` would write it, with its search index ready.
fn build_once(options: &BuildOptions) -> Result<Served, ServeError> {
    let started = Instant::now();
    let (served, warnings) = match prepare_as_built(options, &mut Reuse::new()) {
        Ok(made) => made,
        Err(error) => {
            if let BuildError::Content(diagnostics) = &error {
                eprint!("{}", diagnostics.render(Format::Human, failure::colour()));
            }
            return Err(error.into());
        }
    };
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    served.wait_for_search().map_err(ServeError::Index)?;
    // Made after the pages, as in the preview: a production server starts with them all.
    served.wait_for_exports().map_err(ServeError::Exports)?;
    served.wait_for_api().map_err(ServeError::Api)?;
    eprintln!(
        "Built {} in memory in {:.2}s",
        plural(served.site.listings.len(), "service"),
        started.elapsed().as_secs_f64()
    );
    Ok(served)
}

/// On the first SIGTERM or SIGINT, wakes every worker once: each finishes the request it is
/// answering, and those already queued before the signal, then stops.
fn stop_on_signal(
    server: Arc<Server>,
    workers: usize,
) -> Result<signal_hook::iterator::Handle, ServeError> {
    let mut signals =
        Signals::new([SIGTERM, SIGINT]).map_err(|e| ServeError::Signals(e.to_string()))?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("dayopps-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                eprintln!("Stopping: answering the requests already received.");
                for _ in 0..workers {
                    server.unblock();
                }
            }
        })
        .map_err(|e| ServeError::Signals(e.to_string()))?;
    Ok(handle)
}

/// Answers requests until the server unblocks this worker. A bug met by one request is not
/// allowed to take the worker with it: tiny_http answers that request with a 500.
fn work(server: &Server, served: &Served) {
    while let Ok(request) = server.recv() {
        let answered =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(request, served)));
        if answered.is_err() {
            eprintln!("error: a request stopped unexpectedly: this is a bug");
        }
    }
}

fn answer(request: Request, served: &Served) {
    let started = Instant::now();
    let method = request.method().clone();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let reply = match method {
        Method::Get | Method::Head => served.respond(&url),
        _ => Reply::new(
            405,
            "text/plain; charset=utf-8",
            b"Only GET and HEAD are answered here.".to_vec(),
        ),
    };
    let status = reply.status;
    let bytes = if method == Method::Head {
        0
    } else {
        reply.body.len()
    };
    let cache = caching::cache_control(&reply, query);
    let mut response = reply.response(cache);
    let extra = [
        header("X-Content-Type-Options", "nosniff"),
        (status == 405)
            .then(|| header("Allow", "GET, HEAD"))
            .flatten(),
    ];
    for h in extra.into_iter().flatten() {
        response = response.with_header(h);
    }
    let sent = request.respond(response).is_ok();
    log(&Logged {
        method: &method,
        path,
        had_query: !query.is_empty(),
        status,
        bytes,
        took: started.elapsed(),
        sent,
    });
}

/// What a request was and what it got, for the log.
struct Logged<'a> {
    method: &'a Method,
    path: &'a str,
    had_query: bool,
    status: u16,
    bytes: usize,
    took: Duration,
    sent: bool,
}

/// One line a request on standard output, written at once so that lines from several
/// workers never interleave.
fn log(request: &Logged) {
    let _ = std::io::stdout()
        .lock()
        .write_all(log_line(request).as_bytes());
}

/// The query string is left out: it holds what people typed (words, postcodes), which the
/// log has no need to keep; `?…` says there was one.
fn log_line(r: &Logged) -> String {
    let query = if r.had_query { "?…" } else { "" };
    let gone = if r.sent { "" } else { " (client gone)" };
    // A path is whatever a client sent: no control characters into the log, nor a megabyte.
    let path: String = r
        .path
        .chars()
        .take(MAX_LOGGED_PATH)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!(
        "{} {path}{query} {} {} {:.1}ms{gone}\n",
        r.method,
        r.status,
        r.bytes,
        r.took.as_secs_f64() * 1000.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(path: &str) -> Logged<'_> {
        Logged {
            method: &Method::Get,
            path,
            had_query: false,
            status: 200,
            bytes: 10,
            took: Duration::from_micros(1500),
            sent: true,
        }
    }

    #[test]
    fn a_log_line_says_what_was_asked_but_not_what_was_typed() {
        assert_eq!(log_line(&logged("/about/")), "GET /about/ 200 10 1.5ms\n");
        let search = Logged {
            had_query: true,
            sent: false,
            ..logged("/search/")
        };
        assert_eq!(
            log_line(&search),
            "GET /search/?… 200 10 1.5ms (client gone)\n"
        );
    }

    #[test]
    fn a_hostile_path_cannot_forge_log_lines_or_flood_the_log() {
        let forged = log_line(&logged("/a\nGET /admin 200 0 0.1ms\r\x1b[2J"));
        assert_eq!(forged.lines().count(), 1, "{forged:?}");
        assert!(!forged.contains('\x1b'));
        let long = "/x".repeat(10_000);
        assert!(log_line(&logged(&long)).len() < MAX_LOGGED_PATH + 40);
    }
}
