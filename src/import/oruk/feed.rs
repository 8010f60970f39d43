//! Reading an ORUK document: which of its values are services (one, a list, or a Page),
//! and the two ways every part of the mapping reads a record, so that blank text and
//! missing lists count as absent everywhere alike.

use serde_json::Value;

/// The services in an ORUK document: one service, a list of them, or a Page.
pub fn services(json: &Value) -> Result<Vec<&Value>, String> {
    let list = match json {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) => match o.get("contents") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(_) => return Err("`contents` is not a list of services".into()),
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
