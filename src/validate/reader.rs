//! Reading fields out of a YAML document while collecting every problem with its position.

use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::yaml::SpanMap;
use crate::model::{Choice, Date, Vocabulary};

use super::formats;
use super::suggest::did_you_mean;

/// One YAML document being read: its file, where things are in it, and the problems so far.
pub struct Doc<'a> {
    pub file: &'a Arc<SourceFile>,
    pub spans: &'a SpanMap,
    pub diags: Diagnostics,
}

/// A mapping inside the document and the path that leads to it.
#[derive(Clone, Copy)]
pub struct Fields<'v> {
    pub map: &'v Mapping,
    pub path: &'v str,
}

impl<'v> Fields<'v> {
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// How a value of the wrong kind is described to people.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "yes/no",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of fields",
        Value::Tagged(_) => "a tagged value",
    }
}

impl<'a> Doc<'a> {
    pub fn new(file: &'a Arc<SourceFile>, spans: &'a SpanMap) -> Self {
        Doc {
            file,
            spans,
            diags: Diagnostics::default(),
        }
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::error(self.file, self.spans.value(path), message).with_help(help);
        self.diags.push(d);
    }

    pub fn warning(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::warning(self.file, self.spans.value(path), message).with_help(help);
        self.diags.push(d);
    }

    fn error_at_key(&mut self, path: &str, message: String, help: String) {
        let d = Diagnostic::error(self.file, self.spans.key(path), message).with_help(help);
        self.diags.push(d);
    }

    fn wrong_kind(&mut self, path: &str, key: &str, expected: &str, got: &Value, example: &str) {
        self.error(
            path,
            format!("`{key}` should be {expected}, not {}", kind_of(got)),
            format!("write it like this: `{example}`"),
        );
    }

    /// Reports a required field that is missing, with an example of how to write it.
    pub fn missing(&mut self, at: Fields, key: &str, example: &str) {
        let message = if at.path.is_empty() {
            format!("`{key}` is missing")
        } else {
            format!("`{key}` is missing from `{}`", at.path)
        };
        let d = Diagnostic::error(self.file, self.spans.value(at.path), message)
            .with_help(format!("add it, for example: `{example}`"));
        self.diags.push(d);
    }

    /// `value` as a mapping, or a problem.
    pub fn mapping<'v>(
        &mut self,
        value: &'v Value,
        path: &'v str,
        example: &str,
    ) -> Option<Fields<'v>> {
        match value {
            Value::Mapping(map) => Some(Fields { map, path }),
            other => {
                let key = path.rsplit('.').next().unwrap_or(path);
                self.wrong_kind(path, key, "a set of fields", other, example);
                None
            }
        }
    }

    /// Reports every key of `at` not in `known`, suggesting the nearest known one.
    pub fn unknown_fields(&mut self, at: Fields, known: &[&str], hint: &str) {
        for key in at.map.keys() {
            let name = match key {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            };
            if known.contains(&name.as_str()) {
                continue;
            }
            let help = match super::suggest::closest(&name, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("remove it, or check it against {hint}"),
            };
            self.error_at_key(&at.path_of(&name), format!("unknown field `{name}`"), help);
        }
    }

    /// A text field. Numbers are accepted as text (a title may be "1940s Club").
    pub fn text(&mut self, at: Fields, key: &str, example: &str) -> Option<String> {
        let path = at.path_of(key);
        match at.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.wrong_kind(&path, key, "text", other, example);
                None
            }
        }
    }

    /// A text field that must be there and not be empty.
    pub fn required_text(&mut self, at: Fields, key: &str, example: &str) -> Option<String> {
        match self.text(at, key, example) {
            Some(s) if s.is_empty() => {
                self.error(
                    &at.path_of(key),
                    format!("`{key}` is empty"),
                    format!("fill it in, for example: `{example}`"),
                );
                None
            }
            Some(s) => Some(s),
            None if at.get(key).is_none() => {
                self.missing(at, key, example);
                None
            }
            None => None,
        }
    }

    /// A list of values; a single value is taken as a list of one. Returns each item's path.
    pub fn list<'v>(
        &mut self,
        at: Fields<'v>,
        key: &str,
        example: &str,
    ) -> Vec<(String, &'v Value)> {
        let path = at.path_of(key);
        match at.get(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}[{i}]"), v))
                .collect(),
            Some(Value::Mapping(_)) => {
                self.wrong_kind(
                    &path,
                    key,
                    "a list",
                    at.get(key).unwrap_or(&Value::Null),
                    example,
                );
                Vec::new()
            }
            Some(single) => vec![(path, single)],
        }
    }

    /// A list of sets of fields (locations, sessions, costs, images); a single set is taken
    /// as a list of one, but text or a number is a mistake worth explaining.
    pub fn records<'v>(
        &mut self,
        at: Fields<'v>,
        key: &str,
        example: &str,
    ) -> Vec<(String, &'v Value)> {
        match at.get(key) {
            Some(v @ Value::Mapping(_)) => vec![(at.path_of(key), v)],
            Some(Value::Sequence(_)) | None => self.list(at, key, example),
            Some(other) => {
                self.wrong_kind(&at.path_of(key), key, "a list", other, example);
                Vec::new()
            }
        }
    }

    /// A list of text items.
    pub fn text_list(&mut self, at: Fields, key: &str, example: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (path, item) in self.list(at, key, example) {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Value::Number(n) => out.push(n.to_string()),
                other => self.wrong_kind(&path, key, "a list of text", other, example),
            }
        }
        out
    }

    /// Keys from a vocabulary, each checked, without repeats.
    pub fn terms(
        &mut self,
        at: Fields,
        key: &str,
        vocab: &Vocabulary,
        example: &str,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (path, item) in self.list(at, key, example) {
            let Value::String(s) = item else {
                self.wrong_kind(&path, key, "a list of words from site.yaml", item, example);
                continue;
            };
            let s = s.trim();
            if vocab.get(s).is_some() {
                if !out.iter().any(|k| k == s) {
                    out.push(s.to_string());
                }
            } else {
                let labels_and_keys = vocab.keys().collect::<Vec<_>>();
                let help = match vocab.terms.iter().find(|t| t.label.eq_ignore_ascii_case(s)) {
                    Some(t) => format!("use the key, not the label: `{}`", t.key),
                    None => did_you_mean(s, labels_and_keys.iter().copied()),
                };
                self.error(
                    &path,
                    format!("`{s}` is not one of the `{}` in site.yaml", vocab.name),
                    help,
                );
            }
        }
        out
    }

    /// Like `terms`, but at least one is needed.
    pub fn required_terms(
        &mut self,
        at: Fields,
        key: &str,
        vocab: &Vocabulary,
        example: &str,
    ) -> Vec<String> {
        let present = at.get(key).is_some();
        let errors_before = self.diags.error_count();
        let terms = self.terms(at, key, vocab, example);
        if !present {
            self.missing(at, key, example);
        } else if terms.is_empty() && self.diags.error_count() == errors_before {
            self.error(
                &at.path_of(key),
                format!("`{key}` needs at least one value"),
                format!("for example: `{example}`"),
            );
        }
        terms
    }

    pub fn bool(&mut self, at: Fields, key: &str) -> Option<bool> {
        match at.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_kind(
                    &at.path_of(key),
                    key,
                    "true or false",
                    other,
                    &format!("{key}: true"),
                );
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, at: Fields, key: &str) -> Option<Date> {
        let path = at.path_of(key);
        let text = match at.get(key)? {
            Value::String(s) => s.trim().to_string(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        match formats::date(&text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error(
                    &path,
                    format!("`{key}` should be a date written YYYY-MM-DD{why}"),
                    format!("for example: `{key}: 2024-03-11`"),
                );
                None
            }
        }
    }

    /// One of a fixed set of words.
    pub fn choice(&mut self, at: Fields, key: &str, choices: &[Choice]) -> Option<Choice> {
        let path = at.path_of(key);
        let value = at.get(key)?;
        let keys = choices.iter().map(|c| c.key);
        match value {
            Value::String(s) => match choices.iter().find(|c| c.key == s.trim()) {
                Some(c) => Some(*c),
                None => {
                    self.error(
                        &path,
                        format!("`{}` is not a choice for `{key}`", s.trim()),
                        did_you_mean(s, keys),
                    );
                    None
                }
            },
            other => {
                self.wrong_kind(
                    &path,
                    key,
                    "one word",
                    other,
                    &format!("{key}: {}", choices[0].key),
                );
                None
            }
        }
    }
}
