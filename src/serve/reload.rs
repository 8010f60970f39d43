//! Reloading open pages after a rebuild: a script that `dayopps serve` adds to the HTML it
//! serves (never to what `dayopps build` writes), and the server-sent events it listens to.
//!
//! The script is served from a path of the server's own rather than inline, so that a theme
//! whose Content-Security-Policy allows only same-origin scripts still reloads.

use std::io::Write;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::Request;

use super::Reply;
use super::live::{Event, Live};

/// The server's own paths, answered before the site's files; `__` keeps them clear of the
/// addresses the build makes from file names.
pub const SCRIPT_PATH: &str = "/__dayopps/reload.js";
pub const EVENTS_PATH: &str = "/__dayopps/events";

/// Asks for the events of builds after the page's own, so a rebuild that finished while the
/// page was loading is not missed.
const SCRIPT: &str = "\
// dayopps serve: reload this page when the site has been rebuilt.
(function () {
  var me = document.currentScript;
  var build = me ? me.getAttribute(\"data-build\") : \"\";
  var events = new EventSource(\"/__dayopps/events?since=\" + encodeURIComponent(build || \"\"));
  events.onmessage = function () { events.close(); location.reload(); };
})();
";

/// A stream with nothing to say still sends a comment this often, so that a page that has
/// gone is noticed (the write fails) and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn script() -> Reply {
    Reply::new(
        200,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
    )
}

/// `html` with the reload script added at the end of its head (or of the page when it has
/// no head), marked with the build it came from.
pub fn inject(mut html: Vec<u8>, build: u64) -> Vec<u8> {
    let tag = format!(r#"<script src="{SCRIPT_PATH}" data-build="{build}" defer></script>"#);
    let at = find_ignoring_case(&html, b"</head>")
        .or_else(|| find_ignoring_case(&html, b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Holds the connection open and sends an event after each build until the page goes.
///
/// tiny_http buffers a response body (its chunked encoder sends nothing until 8 KiB have
/// been written), so the stream is written by hand on the raw connection and flushed after
/// each event.
pub fn stream_events(request: Request, url: &str, live: &Live) {
    let since = url
        .split_once('?')
        .map(|(_, query)| query)
        .and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "since")
                .and_then(|(_, v)| v.parse::<u64>().ok())
        });
    // Listen before looking at the current build, so no build falls between the two.
    let events = live.listen();
    let current = live.current();
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream\r\n\
                Cache-Control: no-cache\r\n\
                Connection: close\r\n\
                \r\n\
                retry: 1000\n\n";
    if send(&mut out, head).is_err() {
        return;
    }
    if since.is_some_and(|id| id != current.id) {
        let missed = Event {
            id: current.id,
            ok: current.site.is_ok(),
        };
        if send(&mut out, &message(missed)).is_err() {
            return;
        }
    }
    loop {
        let text = match events.recv_timeout(KEEP_ALIVE) {
            Ok(event) => message(event),
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if send(&mut out, &text).is_err() {
            return;
        }
    }
}

fn message(event: Event) -> String {
    format!("data: {{\"build\":{},\"ok\":{}}}\n\n", event.id, event.ok)
}

fn send(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_at_the_end_of_the_head() {
        let html =
            b"<!DOCTYPE html><html><HEAD><title>x</title></HEAD><body></body></html>".to_vec();
        let out = String::from_utf8(inject(html, 7)).expect("UTF-8");
        assert_eq!(
            out,
            "<!DOCTYPE html><html><HEAD><title>x</title>\
             <script src=\"/__dayopps/reload.js\" data-build=\"7\" defer></script>\
             </HEAD><body></body></html>"
        );
        let bare = String::from_utf8(inject(b"<p>hi".to_vec(), 1)).expect("UTF-8");
        assert!(bare.starts_with("<p>hi<script"), "{bare}");
    }
}
