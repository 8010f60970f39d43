//! site.yaml `priorities`: what the council wants more of, each read like a search of the
//! directory, so /market/ can count how many services offer it today.

use serde_yaml::Value;

use crate::model::{Priority, Vocabularies, When};

use super::super::reader::{Doc, Fields};
use super::super::suggest::did_you_mean;

const FIELDS: [&str; 8] = [
    "label",
    "description",
    "needs",
    "service_types",
    "activities",
    "areas",
    "when",
    "in_borough",
];
const HINT: &str = "`priorities` in the site.yaml settings";
const EXAMPLE: &str = "- { label: Travel training, service_types: [travel-training] }";

/// Every priority that reads cleanly; problems go into `doc`.
pub fn priorities(doc: &mut Doc, at: Fields, vocabularies: &Vocabularies) -> Vec<Priority> {
    doc.list(at, "priorities", EXAMPLE)
        .into_iter()
        .filter_map(|(path, item)| priority(doc, &path, item, vocabularies))
        .collect()
}

fn priority(doc: &mut Doc, path: &str, item: &Value, v: &Vocabularies) -> Option<Priority> {
    let at = doc.mapping(item, path, EXAMPLE)?;
    doc.unknown_fields(at, &FIELDS, HINT);
    let label = doc.required_text(at, "label", "label: Evening and weekend provision");
    let priority = Priority {
        label: label.clone().unwrap_or_default(),
        description: doc.text(at, "description", "description: One plain sentence."),
        needs: doc.terms(at, "needs", &v.needs, "needs: [dementia]"),
        service_types: doc.terms(
            at,
            "service_types",
            &v.service_types,
            "service_types: [travel-training]",
        ),
        activities: doc.terms(at, "activities", &v.activities, "activities: [cycling]"),
        areas: doc.terms(at, "areas", &v.areas, "areas: [ashbrook]"),
        when: when(doc, at),
        in_borough: doc.bool(at, "in_borough"),
    };
    if !given_any(at) {
        doc.error(
            path,
            format!(
                "the priority `{}` does not say which services count",
                priority.label
            ),
            "add at least one of needs, service_types, activities, areas, when or in_borough, \
             for example: `service_types: [travel-training]`",
        );
    }
    label.map(|_| priority)
}

/// Whether any criterion field is there at all (a misspelt value is reported on its own).
fn given_any(at: Fields) -> bool {
    FIELDS[2..].iter().any(|f| at.get(f).is_some())
}

/// `when`: the schedule-derived facets, written as in their web addresses.
fn when(doc: &mut Doc, at: Fields) -> Vec<When> {
    let keys = When::ALL.map(When::key);
    let mut out = Vec::new();
    for (path, item) in doc.list(at, "when", "when: [evenings, weekends]") {
        let text = item.as_str().map(str::trim).unwrap_or_default();
        match When::ALL.into_iter().find(|w| w.key() == text) {
            Some(w) if !out.contains(&w) => out.push(w),
            Some(_) => {}
            None => doc.error(
                &path,
                format!("`{}` is not a time for `when`", value_text(item)),
                did_you_mean(text, keys),
            ),
        }
    }
    out
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}
