//! How long browsers and caches in between may keep each answer of `serve --production`.
//!
//! The default theme does not put a hash of their contents in its files' names, so no file
//! can be kept for long: a deployment changes pages, styles and the API together, and five
//! minutes is how long a page and the style it was made with may disagree.

use super::Reply;

/// Pages, the API, styles, scripts, images, feeds and the browser's search index.
pub const SHORT: &str = "public, max-age=300";
/// A missing page may be added by the next deployment.
pub const MISSING: &str = "public, max-age=60";
/// What a person typed (words, a postcode) made this page: no shared cache may keep it, and
/// the browser need not either.
pub const PERSONAL: &str = "private, no-store";
/// A server error may be gone at the next request.
pub const NEVER: &str = "no-store";

/// The `Cache-Control` of `reply`, the answer to a request whose query string was `query`.
pub fn cache_control(reply: &Reply, query: &str) -> &'static str {
    match reply.status {
        500.. => NEVER,
        404 | 410 => MISSING,
        _ if reply.is_html() && !query.is_empty() => PERSONAL,
        _ => SHORT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, content_type: &'static str) -> Reply {
        Reply::new(status, content_type, Vec::new())
    }

    #[test]
    fn searches_are_never_kept_but_pages_and_the_api_are_for_a_while() {
        let html = "text/html; charset=utf-8";
        assert_eq!(cache_control(&reply(200, html), ""), SHORT);
        assert_eq!(
            cache_control(&reply(200, html), "q=garden&near=E10+6QX"),
            PERSONAL
        );
        assert_eq!(
            cache_control(&reply(200, "application/json"), "page=2"),
            SHORT
        );
        assert_eq!(
            cache_control(&reply(200, "text/css; charset=utf-8"), ""),
            SHORT
        );
        assert_eq!(
            cache_control(&reply(400, "application/json"), "page=x"),
            SHORT
        );
        assert_eq!(cache_control(&reply(404, html), ""), MISSING);
        assert_eq!(cache_control(&reply(500, "text/plain"), "q=a"), NEVER);
    }
}
