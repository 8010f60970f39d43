//! Reading an ORUK document: which of its values are services (one, a list, or a Page of
//! ORUK 3.0 with `contents` or of v1 with `content`), where a Page says it is in the feed,
//! and the two ways every part of the mapping reads a record, so that blank text and
//! missing lists count as absent everywhere alike.

use serde_json::Value;

/// The services in an ORUK document: one service, a list of them, or a Page.
pub fn services(json: &Value) -> Result<Vec<&Value>, String> {
    let list = match json {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) => match o.get("contents").or_else(|| o.get("content")) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(_) => return Err("the page's `contents` is not a list of services".into()),
            None => vec![json],
        },
        _ => return Err("the file holds neither a service nor a list of services".into()),
    };
    let not_service = list
        .iter()
        .position(|s| s.get("name").is_none() && s.get("id").is_none());
    match not_service {
        Some(i) => Err(format!(
            "item {} is not a service: it has no `name` or `id`",
            i + 1
        )),
        None => Ok(list),
    }
}

/// Where a Page is in its feed, in the numbering the feed's `page` parameter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub number: u64,
    /// Known when the page says how many there are.
    pub pages: Option<u64>,
    /// The page says it is the last, or the numbers say so.
    pub last: bool,
}

/// Where `json` is in its feed, or `None` when it is not a Page (one service or a list).
/// ORUK 3.0 counts pages from 1 (`page_number`, `total_pages`, `last_page`); v1 pages are
/// Spring pages, counted from 0 (`number`, `totalPages`, `last`).
pub fn place(json: &Value) -> Option<Place> {
    let o = json.as_object()?;
    let whole = |key: &str| o.get(key).and_then(Value::as_u64);
    let flag = |key: &str| o.get(key).and_then(Value::as_bool);
    let (number, pages, said_last, first) = if o.contains_key("contents") {
        (
            whole("page_number").unwrap_or(1),
            whole("total_pages"),
            flag("last_page"),
            1,
        )
    } else if o.contains_key("content") {
        (
            whole("number").unwrap_or(0),
            whole("totalPages"),
            flag("last"),
            0,
        )
    } else {
        return None;
    };
    let empty = services(json).is_ok_and(|s| s.is_empty());
    let past_end = pages.is_none_or(|p| number + 1 - first >= p);
    let last = said_last.unwrap_or(past_end) || empty || past_end && pages.is_some();
    Some(Place {
        number,
        pages,
        last,
    })
}

/// A non-empty string at `key`, trimmed.
pub(super) fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(super) fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}
