//! What could not be carried over: every value of the record no other part of the mapping
//! marked used, so that nothing is lost without the report saying so.

use serde_json::Value;

use super::Mapper;

/// Fields that only link records together; a listing gets new ones when it is exported.
const LINKS: [&str; 12] = [
    "id",
    "service_id",
    "location_id",
    "link_id",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "parent_id",
    "parent_organization_id",
    "service_at_location_id",
    "phone_id",
    "contact_id",
];

impl Mapper<'_> {
    /// Every value not carried over, in the record's order, except links between records.
    pub(super) fn leftovers(&mut self, s: &Value) {
        let mut leaves = Vec::new();
        flatten("", s, &mut leaves);
        for (path, value) in leaves {
            let last = path.rsplit(['.', ']']).next().unwrap_or("");
            if !self.is_used(&path) && !LINKS.contains(&last) {
                self.draft.unmapped.push((path, value));
            }
        }
    }
}

/// Every leaf of a JSON value with its path, as text.
fn flatten(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), x, out);
            }
        }
        Value::String(s) if s.trim().is_empty() => {}
        Value::String(s) => out.push((path.to_string(), s.trim().to_string())),
        other => out.push((path.to_string(), other.to_string())),
    }
}
