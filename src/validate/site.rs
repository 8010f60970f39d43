//! site.yaml: the site's settings and its controlled vocabularies.

use serde_yaml::Value;

use crate::model::vocab::{self, NAMES, Term, Vocabularies, Vocabulary};
use crate::model::{CheckLimits, Contact, SiteConfig};
use crate::text::markdown;

use super::formats;
use super::reader::{Doc, Fields};

mod priorities;
mod report;

const FIELDS: [&str; 14] = [
    "title",
    "council",
    "base_url",
    "language",
    "theme",
    "contact",
    "intro",
    "vocabularies",
    "search",
    "market",
    "priorities",
    "checks",
    "report",
    "postcodes",
];
const HINT: &str = "the site.yaml settings in the listing format";

/// Reads site.yaml's fields; `None` when a problem makes the site unusable.
pub fn site_config(
    doc: &mut Doc,
    root: &Value,
    base_url_override: Option<&str>,
) -> Option<SiteConfig> {
    let at = doc.mapping(root, "", "title: Day Opportunities Directory")?;
    doc.unknown_fields(at, &FIELDS, HINT);
    let title = doc.required_text(at, "title", "title: Day Opportunities Directory");
    let council = doc.required_text(at, "council", "council: London Borough of Example");
    let base_url = match base_url_override {
        Some(url) => Some(url.to_string()),
        None => doc.required_text(at, "base_url", "base_url: https://dayopps.example.gov.uk/"),
    }
    .and_then(|u| checked_base_url(doc, &u, base_url_override.is_some()));
    let language = doc
        .text(at, "language", "language: en-GB")
        .unwrap_or_else(|| "en-GB".into());
    let theme = doc
        .text(at, "theme", "theme: default")
        .unwrap_or_else(|| "default".into());
    if !formats::slug(&theme) {
        doc.error(
            "theme",
            format!("`{theme}` is not a theme folder name"),
            "use the name of a folder in themes/, such as `default`",
        );
    }
    let contact = contact(doc, at);
    let intro = doc
        .text(at, "intro", "intro: Find day services near you.")
        .unwrap_or_default();
    let vocabularies = vocabularies(doc, at);
    let search_synonyms = search(doc, at);
    let checks = checks(doc, at);
    let report = report::report(doc, at);
    let market = doc.bool(at, "market").unwrap_or(true);
    // The table itself is read by load, which reports a path it cannot use.
    doc.text(at, "postcodes", "postcodes: data/postcodes.csv");
    let priorities = vocabularies
        .as_ref()
        .map(|v| priorities::priorities(doc, at, v))
        .unwrap_or_default();
    let base_url = base_url?;
    let intro_html = markdown::render_trusted_text(&intro, &base_path(&base_url));
    Some(SiteConfig {
        title: title?,
        council: council?,
        base_url,
        language,
        theme,
        contact,
        intro_html,
        vocabularies: vocabularies?,
        search_synonyms,
        market,
        priorities,
        checks,
        report,
    })
}

fn base_path(base_url: &str) -> String {
    url::Url::parse(base_url).map_or_else(|_| "/".into(), |u| u.path().to_string())
}

/// The base URL, ending with `/`, or a problem.
fn checked_base_url(doc: &mut Doc, url: &str, from_command_line: bool) -> Option<String> {
    if formats::web_address(url) {
        let mut url = url.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        return Some(url);
    }
    let message = format!("`{url}` is not a full web address");
    let help = "write the address the site is published at, starting with https://";
    if from_command_line {
        doc.error("", format!("--base-url: {message}"), help);
    } else {
        doc.error("base_url", message, help);
    }
    None
}

fn contact(doc: &mut Doc, at: Fields) -> Contact {
    let Some(value) = at.get("contact") else {
        return Contact::default();
    };
    let Some(c) = doc.mapping(value, "contact", "contact: { phone: 020 8496 1000 }") else {
        return Contact::default();
    };
    doc.unknown_fields(c, &["phone", "email"], HINT);
    super::listing::contact_fields(doc, c)
}

fn vocabularies(doc: &mut Doc, at: Fields) -> Option<Vocabularies> {
    let given = match at.get("vocabularies") {
        Some(v) => doc.mapping(
            v,
            "vocabularies",
            "vocabularies: { areas: { leyton: { label: Leyton, in_borough: true } } }",
        ),
        None => None,
    };
    if let Some(given) = given {
        doc.unknown_fields(given, &NAMES, "the vocabularies in the listing format");
    }
    let mut ok = true;
    let mut read = |name: &'static str| -> Vocabulary {
        let Some(value) = given.and_then(|g| g.get(name)) else {
            if name == "areas" {
                let at = given.unwrap_or(at);
                doc.missing(
                    at,
                    "areas",
                    "areas: { leyton: { label: Leyton, in_borough: true } }",
                );
                ok = false;
            }
            return vocab::default_vocabulary(name);
        };
        let path = format!("vocabularies.{name}");
        match vocabulary(doc, name, value, &path) {
            Some(v) => v,
            None => {
                ok = false;
                vocab::default_vocabulary(name)
            }
        }
    };
    let vocabs = Vocabularies {
        needs: read("needs"),
        service_types: read("service_types"),
        activities: read("activities"),
        funding: read("funding"),
        referral: read("referral"),
        accessibility: read("accessibility"),
        outcomes: read("outcomes"),
        areas: read("areas"),
    };
    ok.then_some(vocabs)
}

fn vocabulary(doc: &mut Doc, name: &'static str, value: &Value, path: &str) -> Option<Vocabulary> {
    let example = "dementia: { label: Dementia }";
    let map = doc.mapping(value, path, example)?;
    let mut terms = Vec::new();
    let errors_before = doc.diags.error_count();
    for (key, entry) in map.map {
        let Some(key) = key.as_str() else {
            doc.error(
                path,
                "vocabulary keys must be words",
                "for example: `dementia: { label: Dementia }`",
            );
            continue;
        };
        let term_path = format!("{path}.{key}");
        if !formats::slug(key) {
            doc.error(
                &term_path,
                format!("`{key}` cannot be used as a key: it appears in web addresses"),
                format!(
                    "use lower-case letters, digits and hyphens, such as `{}`",
                    crate::text::slug(key)
                ),
            );
        }
        if let Some(term) = term(doc, name, key, entry, &term_path) {
            terms.push(term);
        }
    }
    if terms.is_empty() && doc.diags.error_count() == errors_before {
        doc.error(
            path,
            format!("the `{name}` vocabulary is empty"),
            format!("list at least one, for example: `{example}`"),
        );
    }
    (doc.diags.error_count() == errors_before).then_some(Vocabulary { name, terms })
}

fn term(doc: &mut Doc, vocab_name: &str, key: &str, entry: &Value, path: &str) -> Option<Term> {
    let example = format!("{key}: {{ label: {} }}", default_label(vocab_name, key));
    let at = doc.mapping(entry, path, &example)?;
    let is_area = vocab_name == "areas";
    let known: &[&str] = if is_area {
        &["label", "synonyms", "description", "in_borough"]
    } else {
        &["label", "synonyms", "description"]
    };
    doc.unknown_fields(at, known, "the vocabularies in the listing format");
    let label = doc.required_text(
        at,
        "label",
        &format!("label: {}", default_label(vocab_name, key)),
    )?;
    let in_borough = if is_area {
        let b = doc.bool(at, "in_borough");
        if at.get("in_borough").is_none() {
            doc.missing(at, "in_borough", "in_borough: true");
        }
        Some(b?)
    } else {
        None
    };
    Some(Term {
        key: key.to_string(),
        label,
        synonyms: doc.text_list(at, "synonyms", "synonyms: [LD, learning difficulties]"),
        description: doc.text(at, "description", "description: One plain sentence."),
        in_borough,
    })
}

fn default_label(vocab_name: &str, key: &str) -> String {
    vocab::default_terms(vocab_name)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.replace('-', " "), |(_, l)| l.to_string())
}

fn search(doc: &mut Doc, at: Fields) -> Vec<Vec<String>> {
    let Some(value) = at.get("search") else {
        return Vec::new();
    };
    let Some(s) = doc.mapping(
        value,
        "search",
        "search: { synonyms: [[gardening, horticulture]] }",
    ) else {
        return Vec::new();
    };
    doc.unknown_fields(s, &["synonyms"], HINT);
    let mut groups = Vec::new();
    for (path, item) in doc.list(s, "synonyms", "synonyms: [[gardening, horticulture]]") {
        match item {
            Value::Sequence(words) => groups.push(
                words
                    .iter()
                    .filter_map(|w| w.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => doc.error(
                &path,
                "each group of synonyms should be a list of words",
                "for example: `- [gardening, horticulture]`",
            ),
        }
    }
    groups
}

/// `checks: { reading_ease: 60, sentence_words: 25, easy_read_sentence_words: 15 }`
fn checks(doc: &mut Doc, at: Fields) -> CheckLimits {
    let mut limits = CheckLimits::default();
    let Some(value) = at.get("checks") else {
        return limits;
    };
    let example = "checks: { reading_ease: 60, sentence_words: 25 }";
    let Some(c) = doc.mapping(value, "checks", example) else {
        return limits;
    };
    doc.unknown_fields(
        c,
        &["reading_ease", "sentence_words", "easy_read_sentence_words"],
        HINT,
    );
    let mut number = |key: &str, max: f64| -> Option<f64> {
        let v = c.get(key)?;
        let n = v.as_f64().filter(|n| (0.0..=max).contains(n));
        if n.is_none() {
            doc.error(
                &c.path_of(key),
                format!("`{key}` should be a number from 0 to {max}"),
                format!("for example: `{example}`"),
            );
        }
        n
    };
    if let Some(n) = number("reading_ease", 100.0) {
        limits.reading_ease = n;
    }
    if let Some(n) = number("sentence_words", 1000.0) {
        limits.sentence_words = n as usize;
    }
    if let Some(n) = number("easy_read_sentence_words", 1000.0) {
        limits.easy_read_sentence_words = n as usize;
    }
    limits
}
