//! A listing made from imported data, before it is written: its fields, its description,
//! and what could not be carried over.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use crate::model::fields;

pub const UNMAPPED_HEADING: &str = "Details from the imported record";

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub slug: String,
    /// The service's name as imported, for the report.
    pub name: String,
    /// The record's own id, whatever its form (v1 feeds use numbers), to find repeats.
    pub source_id: String,
    /// Front matter by field name; written in the order of the listing format.
    pub fields: BTreeMap<&'static str, Value>,
    /// Markdown, already escaped.
    pub description: String,
    /// Values the listing format has no place for: (where in the record, the value).
    pub unmapped: Vec<(String, String)>,
    /// Required values that were not in the record and were filled in: what and why.
    pub defaults: Vec<String>,
    /// What was done to the record that needs no check: quirks of the feed put right,
    /// markup turned into Markdown, platform fields left out.
    pub notes: Vec<String>,
}

impl Draft {
    /// A person should look before it goes live: something was guessed or left over.
    pub fn needs_review(&self) -> bool {
        !self.unmapped.is_empty() || !self.defaults.is_empty()
    }

    pub fn set(&mut self, field: &'static str, value: impl Into<Value>) {
        self.fields.insert(field, value.into());
    }

    /// The listing file: YAML front matter, then the description in Markdown.
    pub fn text(&self) -> String {
        let mut front = serde_yaml::Mapping::new();
        for f in fields::LISTING {
            if let Some(v) = self.fields.get(f.name) {
                front.insert(f.name.into(), v.clone());
            }
        }
        let yaml = serde_yaml::to_string(&front).unwrap_or_default();
        let mut body = self.description.clone();
        if !self.unmapped.is_empty() {
            body.push_str(&format!("\n\n## {UNMAPPED_HEADING}\n\n"));
            for (path, value) in &self.unmapped {
                body.push_str(&format!("- {}: {}\n", escape(path), escape(value)));
            }
        }
        format!("---\n{yaml}---\n{}\n", body.trim())
    }

    /// What a person needs to know about this import, one line each.
    pub fn report(&self) -> Vec<String> {
        let defaults = self.defaults.iter().map(|d| format!("filled in: {d}"));
        let unmapped = self
            .unmapped
            .iter()
            .map(|(p, v)| format!("not mapped: {p} = {v}"));
        let notes = self.notes.iter().map(|n| format!("note: {n}"));
        defaults.chain(unmapped).chain(notes).collect()
    }
}

/// Markdown-escapes text so it shows as written: no emphasis, links, headings or HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Two services with the same name would get the same file: later ones get `-2`, `-3`, ...
pub fn unique_slugs(drafts: &mut [Draft]) {
    let mut taken = BTreeSet::new();
    for d in drafts.iter_mut() {
        let base = d.slug.clone();
        let mut n = 1;
        while !taken.insert(d.slug.clone()) {
            n += 1;
            d.slug = format!("{base}-{n}");
        }
        if n > 1 {
            d.notes.push(format!(
                "written as {}.md, as another service already has the file {base}.md",
                d.slug
            ));
        }
    }
}

/// Two different services with the same id: the later ones lose it, and get one made from
/// their file name when the site is built, as two listings cannot share an id.
pub fn unique_ids(drafts: &mut [Draft]) {
    let mut taken = BTreeSet::new();
    for d in drafts.iter_mut() {
        let id = d.source_id.clone();
        if id.is_empty() || taken.insert(id.clone()) {
            continue;
        }
        let what = if d.fields.remove("id").is_some() {
            "so this one gets a new id"
        } else {
            "so it is imported as a service of its own"
        };
        d.notes.push(format!(
            "the feed gives the id {id} to another service too, {what}"
        ));
    }
}
