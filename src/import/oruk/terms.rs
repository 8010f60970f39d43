//! Words in the record matched to the site's vocabularies: funding, attributes and service
//! areas. A word is filed only where exactly one vocabulary knows it, as a wrong term would
//! show a service under the wrong filter.

use serde_json::Value;

use crate::model::{DISABILITY_CONFIDENT, VACANCIES, Vocabulary};

use super::Mapper;
use super::feed::{items, text};

/// The vocabulary-backed list fields an attribute can fill, by taxonomy name: every
/// vocabulary but `areas`, which a listing holds as one value.
const LIST_FIELDS: [&str; 7] = {
    let n = crate::model::vocab::NAMES;
    [n[0], n[1], n[2], n[3], n[4], n[5], n[6]]
};

/// A vocabulary key from a key, label or synonym, ignoring case.
pub fn find_term(vocab: &Vocabulary, text: &str) -> Option<String> {
    let t = text.trim();
    let matches = |s: &str| s.eq_ignore_ascii_case(t);
    vocab
        .terms
        .iter()
        .find(|term| {
            matches(&term.key) || matches(&term.label) || term.synonyms.iter().any(|s| matches(s))
        })
        .map(|term| term.key.clone())
}

impl Mapper<'_> {
    pub(super) fn funding(&mut self, s: &Value) {
        for (i, f) in items(s, "funding") {
            let key =
                text(f, "source").and_then(|t| find_term(&self.config.vocabularies.funding, t));
            if let Some(key) = key {
                self.add_term("funding", key);
                self.use_path(format!("funding[{i}].source"));
            }
        }
    }

    pub(super) fn attributes(&mut self, s: &Value) {
        for (i, a) in items(s, "attributes") {
            let Some(term) = a.get("taxonomy_term") else {
                continue;
            };
            let at = format!("attributes[{i}]");
            let taxonomy = text(term, "taxonomy")
                .or_else(|| text(a, "link_type"))
                .unwrap_or("");
            let words: Vec<&str> = ["term", "code", "name"]
                .iter()
                .filter_map(|k| text(term, k))
                .collect();
            if self.attribute(taxonomy, &words) {
                self.use_path(at);
            } else {
                let name = words.last().copied().unwrap_or("(no name)");
                self.unmapped(at, format!("{name} (taxonomy: {taxonomy})"));
            }
        }
    }

    /// Files a term under its taxonomy when that names a field, or under the one vocabulary
    /// that knows the word; a word two vocabularies know is not guessed.
    fn attribute(&mut self, taxonomy: &str, words: &[&str]) -> bool {
        let v = &self.config.vocabularies;
        let find = |vocab: &Vocabulary| words.iter().find_map(|w| find_term(vocab, w));
        let choice = |list: &[crate::model::Choice]| {
            words
                .iter()
                .find_map(|w| {
                    list.iter()
                        .find(|c| c.key == *w || c.label.eq_ignore_ascii_case(w))
                })
                .map(|c| c.key)
        };
        let field = match taxonomy {
            "vacancies" | "disability_confident" => {
                let list = if taxonomy == "vacancies" {
                    &VACANCIES[..]
                } else {
                    &DISABILITY_CONFIDENT[..]
                };
                return match choice(list) {
                    Some(key) => {
                        self.draft.set(
                            if taxonomy == "vacancies" {
                                "vacancies"
                            } else {
                                "disability_confident"
                            },
                            key,
                        );
                        true
                    }
                    None => false,
                };
            }
            "areas" => return self.area_from(words),
            t => LIST_FIELDS.iter().find(|f| **f == t).copied(),
        };
        let found: Vec<(&'static str, String)> = match field {
            Some(f) => v
                .by_name(f)
                .and_then(find)
                .map(|k| (f, k))
                .into_iter()
                .collect(),
            None => LIST_FIELDS
                .iter()
                .filter_map(|f| Some((*f, find(v.by_name(f)?)?)))
                .collect(),
        };
        match found.as_slice() {
            [(f, key)] => {
                self.add_term(f, key.clone());
                true
            }
            _ => false,
        }
    }

    fn area_from(&mut self, words: &[&str]) -> bool {
        let areas = &self.config.vocabularies.areas;
        match words.iter().find_map(|w| find_term(areas, w)) {
            Some(key) => {
                self.draft.set("area", key);
                true
            }
            None => false,
        }
    }

    /// An area the record names is the listing's area, or agrees with the one it has.
    pub(super) fn service_areas(&mut self, s: &Value) {
        for (i, a) in items(s, "service_areas") {
            let words: Vec<&str> = ["name", "service_area"]
                .iter()
                .filter_map(|k| text(a, k))
                .collect();
            let areas = &self.config.vocabularies.areas;
            let named = words.iter().find_map(|w| find_term(areas, w));
            let current = self.draft.fields.get("area").and_then(|v| v.as_str());
            let agrees = match (current, &named) {
                (None, Some(_)) => self.area_from(&words),
                (Some(k), Some(n)) => k == n,
                _ => false,
            };
            if agrees {
                self.use_path(format!("service_areas[{i}]"));
            }
        }
    }
}
