//! Open Referral UK (HSDS 3) services to listings. What maps is mapped; every other value
//! in the record is reported and kept in the description, so nothing is silently lost.
//! Values that do not match the site's vocabularies are not guessed: a default is chosen
//! only where the listing format requires a value, and then the listing is left a draft.
//!
//! One `Mapper` walks a service; each part of the record has its own file, and every value a
//! part carries over is marked used, so what is left at the end is what could not be.

pub mod feed;
mod fields;
mod html;
mod leftovers;
mod places;
mod quirks;
mod required;
mod schedule;
mod terms;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Date, SiteConfig};

use super::draft::Draft;

pub use feed::services;
pub use terms::find_term;

/// Maps one service; never fails, as whatever does not map is reported instead.
pub fn map(service: &Value, config: &SiteConfig, today: Date) -> Draft {
    let mut m = Mapper {
        config,
        used: BTreeSet::new(),
        draft: Draft::default(),
        terms: BTreeMap::new(),
        notes: Vec::new(),
        locations: 0,
        costs: false,
        lead: None,
    };
    let (service, notes) = quirks::normalise(service);
    m.run(&service, today);
    m.draft.notes.extend(notes);
    m.draft
}

/// One service's mapping in progress: the files for each part of the record add to the same
/// draft and mark what they used, so `leftovers` can tell what none of them carried over.
struct Mapper<'a> {
    config: &'a SiteConfig,
    /// Paths in the record that have been carried over (a path covers all below it).
    used: BTreeSet<String>,
    draft: Draft,
    /// Keys for the vocabulary fields, by field name, in the order found.
    terms: BTreeMap<&'static str, Vec<String>>,
    /// Text for `schedule_notes`.
    notes: Vec<String>,
    locations: usize,
    costs: bool,
    /// The description's first paragraph in plain words, when it was not plain text.
    lead: Option<String>,
}

impl Mapper<'_> {
    fn run(&mut self, s: &Value, today: Date) {
        self.identity(s);
        self.contact(s);
        self.schedules(s);
        self.places(s);
        self.languages(s);
        self.costs(s);
        self.funding(s);
        self.attributes(s);
        self.service_areas(s);
        self.extensions(s);
        self.dates(s, today);
        self.status(s);
        self.leftovers(s);
        self.required();
        if self.draft.needs_review() {
            self.draft.set("draft", true);
        }
    }

    fn use_path(&mut self, path: impl Into<String>) {
        self.used.insert(path.into());
    }

    fn is_used(&self, path: &str) -> bool {
        self.used.iter().any(|u| {
            path == u
                || path
                    .strip_prefix(u.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    }

    fn unmapped(&mut self, path: impl Into<String>, value: impl Into<String>) {
        let path = path.into();
        self.use_path(path.clone());
        self.draft.unmapped.push((path, value.into()));
    }

    fn add_term(&mut self, field: &'static str, key: String) {
        let list = self.terms.entry(field).or_default();
        if !list.contains(&key) {
            list.push(key);
        }
    }
}
