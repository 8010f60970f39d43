//! A feed's `/services` over HTTP, page after page to the end. A feed is untrusted: only
//! http(s) addresses, a time limit and a size limit on every answer, and a limit on pages,
//! so a feed that never ends (or ends by repeating itself) stops with an error.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::ImportError;
use super::oruk::feed::{self, Place};

/// How much of a feed is read before giving up.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_pages: u64,
    /// The largest answer read, in bytes.
    pub max_bytes: u64,
    /// For the whole of one request, from connecting to the last byte.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: 2_000,
            max_bytes: 32 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Whether `source` names a feed on the web rather than a file.
pub fn is_url(source: &str) -> bool {
    let lower = source.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Every page of the feed at `address`, in order, each with the address it came from.
/// `progress` hears of each page read: how many so far, and how many there are if known.
pub fn pages(
    address: &str,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Vec<(String, Value)>, ImportError> {
    let first = parse_address(address)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("dayopps/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut seen: Vec<u64> = Vec::new();
    let mut next = first.clone();
    loop {
        let mut json = get(&agent, &next, limits)?;
        full_services(&agent, &first, &mut json, limits)?;
        let place = feed::place(&json);
        out.push((next.to_string(), json));
        progress(out.len() as u64, place.and_then(|p| p.pages));
        let Some(Place { number, last, .. }) = place else {
            break;
        };
        if seen.contains(&number) {
            return Err(ImportError::Paging(format!(
                "{next} answered with page {number} again, so the feed would never end"
            )));
        }
        seen.push(number);
        if last {
            break;
        }
        if out.len() as u64 >= limits.max_pages {
            return Err(ImportError::Paging(format!(
                "the feed at {first} has more than {} pages; nothing was imported",
                limits.max_pages
            )));
        }
        next = with_page(&first, number + 1);
    }
    Ok(out)
}

/// A 3.0 page lists services in short (the profile's `service_list`: no schedules, places
/// or contacts); each is replaced by the whole service from `/services/{id}`. A service
/// the feed cannot give whole (404) is kept as listed, and the mapping reports what it lacks.
fn full_services(
    agent: &ureq::Agent,
    list: &Url,
    json: &mut Value,
    limits: &Limits,
) -> Result<(), ImportError> {
    let Some(Value::Array(items)) = json.get_mut("contents") else {
        return Ok(());
    };
    for item in items.iter_mut() {
        let Some(id) = item.get("id").and_then(Value::as_str) else {
            continue;
        };
        let mut one = list.clone();
        one.set_query(None);
        let Ok(mut path) = one.path_segments_mut() else {
            continue;
        };
        path.pop_if_empty().push(id);
        drop(path);
        match get(agent, &one, limits) {
            Ok(whole) if is_service(&whole) => *item = whole,
            Ok(_) | Err(ImportError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn is_service(v: &Value) -> bool {
    v.get("contents").is_none() && (v.get("id").is_some() || v.get("name").is_some())
}

fn parse_address(address: &str) -> Result<Url, ImportError> {
    let url = Url::parse(address.trim()).map_err(|e| ImportError::Fetch {
        url: address.to_string(),
        message: format!("this is not a web address ({e})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ImportError::Fetch {
            url: address.to_string(),
            message: "only http:// and https:// addresses can be read".into(),
        });
    }
    Ok(url)
}

/// `url` asking for page `number`, its other parameters kept.
fn with_page(url: &Url, number: u64) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut next = url.clone();
    next.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("page", &number.to_string());
    next
}

/// One page as JSON; any answer but a 2xx with JSON within the limits is an error.
fn get(agent: &ureq::Agent, url: &Url, limits: &Limits) -> Result<Value, ImportError> {
    let fail = |message: String| ImportError::Fetch {
        url: url.to_string(),
        message,
    };
    let mut response = agent
        .get(url.as_str())
        .header("Accept", "application/json")
        .call()
        .map_err(|e| fail(e.to_string()))?;
    let status = response.status();
    if status == 404 {
        return Err(ImportError::NotFound(url.to_string()));
    }
    if !status.is_success() {
        return Err(fail(format!("the server answered {status}")));
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => fail(format!(
                "the answer is larger than {} MB",
                limits.max_bytes / 1024 / 1024
            )),
            other => fail(other.to_string()),
        })?;
    serde_json::from_slice(&body).map_err(|e| {
        let html = body.trim_ascii_start().starts_with(b"<");
        let hint = if html {
            ": it looks like a web page; give the address of the feed's /services"
        } else {
            ""
        };
        fail(format!("the answer is not JSON ({e}){hint}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_asked_for_with_the_other_parameters_kept() {
        let url = Url::parse("https://feed.example/services?per_page=5&page=1").expect("url");
        assert_eq!(
            with_page(&url, 3).as_str(),
            "https://feed.example/services?per_page=5&page=3"
        );
    }

    #[test]
    fn only_web_addresses_are_read() {
        for bad in [
            "file:///etc/passwd",
            "ftp://feed.example/services",
            "not a url",
        ] {
            assert!(parse_address(bad).is_err(), "{bad}");
        }
        assert!(is_url("HTTPS://feed.example/services"));
        assert!(!is_url("feed.json"));
    }
}
