//! The service's own fields: its name, provider and description, how to contact it, its
//! languages and costs, the `x_` extensions dayopps exports, and its dates. Each is found in
//! one place in the record, unlike places, schedules and terms, which have files of their own.

use serde_json::Value;

use crate::import::draft::escape;
use crate::model::{CostPer, Date};
use crate::validate::formats;

use super::feed::{items, text};
use super::{Mapper, html};

impl Mapper<'_> {
    pub(super) fn identity(&mut self, s: &Value) {
        let name = text(s, "name").unwrap_or("");
        self.draft.name = name.to_string();
        self.draft.slug = crate::text::slug(name);
        if !name.is_empty() {
            self.draft.set("title", name);
            self.use_path("name");
        }
        self.draft.source_id = match s.get("id") {
            Some(Value::String(t)) => t.trim().to_string(),
            Some(n @ Value::Number(_)) => n.to_string(),
            _ => String::new(),
        };
        if let Some(id) = text(s, "id").and_then(|i| uuid::Uuid::try_parse(i).ok()) {
            self.draft.set("id", id.to_string());
            if self.draft.slug.is_empty() {
                self.draft.slug = format!("service-{}", &id.to_string()[..8]);
            }
        }
        if let Some(provider) = s.get("organization").and_then(|o| text(o, "name")) {
            self.draft.set("provider", provider);
            self.use_path("organization.name");
        }
        if let Some(d) = text(s, "description") {
            self.draft.description = if html::looks_like_html(d) {
                self.html_description(d)
            } else {
                d.split("\n\n")
                    .map(|p| escape(p.trim()))
                    .collect::<Vec<_>>()
                    .join("\n\n")
            };
            self.use_path("description");
        }
    }

    /// An HTML description as Markdown, saying so and naming what was left out.
    fn html_description(&mut self, d: &str) -> String {
        let c = html::to_markdown(d);
        let mut note = "the description was HTML: its headings, paragraphs, lists and links are kept as Markdown".to_string();
        if !c.dropped.is_empty() {
            let dropped: Vec<&str> = c.dropped.iter().map(String::as_str).collect();
            note.push_str(&format!("; left out: {}", dropped.join(", ")));
        }
        self.draft.notes.push(note);
        self.lead = Some(c.lead).filter(|l| !l.is_empty());
        c.markdown
    }

    /// The first usable phone, email and website, from the service, its contacts or its
    /// organization, in that order.
    pub(super) fn contact(&mut self, s: &Value) {
        let mut phones = vec![];
        for (i, p) in items(s, "phones") {
            phones.push((format!("phones[{i}].number"), p.get("number")));
        }
        for (c, contact) in items(s, "contacts") {
            for (i, p) in items(contact, "phones") {
                phones.push((format!("contacts[{c}].phones[{i}].number"), p.get("number")));
            }
        }
        let mut emails = vec![("email".to_string(), s.get("email"))];
        emails.extend(
            items(s, "contacts").map(|(c, v)| (format!("contacts[{c}].email"), v.get("email"))),
        );
        emails.push((
            "organization.email".into(),
            s.get("organization").and_then(|o| o.get("email")),
        ));
        let sites = vec![
            ("url".to_string(), s.get("url")),
            (
                "organization.website".to_string(),
                s.get("organization").and_then(|o| o.get("website")),
            ),
        ];
        let mut contact = serde_yaml::Mapping::new();
        let found = [
            ("phone", self.first(phones, formats::phone)),
            ("email", self.first(emails, formats::email)),
            ("website", self.first(sites, formats::web_address)),
        ];
        for (key, value) in found {
            if let Some(v) = value {
                contact.insert(key.into(), v.into());
            }
        }
        if !contact.is_empty() {
            self.draft
                .set("contact", serde_yaml::Value::Mapping(contact));
        }
    }

    /// The first candidate in the right format; the rest are left for the report.
    /// The same value given again elsewhere in the record is carried over with it.
    fn first(
        &mut self,
        candidates: Vec<(String, Option<&Value>)>,
        ok: fn(&str) -> bool,
    ) -> Option<String> {
        let texts: Vec<(String, &str)> = candidates
            .into_iter()
            .filter_map(|(p, v)| Some((p, v?.as_str()?.trim())))
            .collect();
        let value = texts.iter().map(|(_, t)| *t).find(|t| ok(t))?.to_string();
        for (path, t) in &texts {
            if *t == value {
                self.use_path(path.clone());
            }
        }
        Some(value)
    }

    pub(super) fn languages(&mut self, s: &Value) {
        let mut names = Vec::new();
        for (i, l) in items(s, "languages") {
            match ["name", "code"]
                .iter()
                .find_map(|k| text(l, k).map(|t| (k, t)))
            {
                Some((k, t)) => {
                    names.push(t.to_string());
                    self.use_path(format!("languages[{i}].{k}"));
                }
                None => self.unmapped(format!("languages[{i}]"), "a language with no name or code"),
            }
        }
        if !names.is_empty() {
            self.draft.set("languages", names);
        }
    }

    pub(super) fn costs(&mut self, s: &Value) {
        let mut costs = Vec::new();
        for (i, c) in items(s, "cost_options") {
            let at = format!("cost_options[{i}]");
            let currency = text(c, "currency").unwrap_or("GBP");
            let Some(amount) = c
                .get("amount")
                .and_then(Value::as_f64)
                .filter(|a| *a >= 0.0)
            else {
                continue;
            };
            if !currency.eq_ignore_ascii_case("GBP") {
                continue;
            }
            let pence = (amount * 100.0).round();
            let described = text(c, "amount_description").unwrap_or("");
            let per = CostPer::KEYS
                .iter()
                .find(|k| described.to_lowercase().contains(*k));
            let per = per.copied().unwrap_or_else(|| {
                self.draft.defaults.push(format!("{at}: `per: session`, as the record does not say per session, hour, day or week"));
                "session"
            });
            let mut notes: Vec<&str> = text(c, "option").into_iter().collect();
            if !described.is_empty() && described != format!("per {per}") {
                notes.push(described);
            }
            let mut cost = serde_yaml::Mapping::new();
            cost.insert("amount".into(), (pence / 100.0).into());
            cost.insert("per".into(), per.into());
            if !notes.is_empty() {
                cost.insert("notes".into(), notes.join(". ").into());
            }
            for key in ["amount", "currency", "amount_description", "option"] {
                self.use_path(format!("{at}.{key}"));
            }
            costs.push(serde_yaml::Value::Mapping(cost));
        }
        self.costs = !costs.is_empty();
        if self.costs {
            self.draft.set("costs", serde_yaml::Value::Sequence(costs));
        }
    }

    /// The `x_` properties dayopps exports for what HSDS has no field for.
    pub(super) fn extensions(&mut self, s: &Value) {
        for (key, field) in [
            ("x_summary", "summary"),
            ("x_easy_read", "easy_read"),
            ("x_progression", "progression"),
            ("x_transport", "transport"),
            ("x_review_by", "review_by"),
            ("x_vacancies_updated", "vacancies_updated"),
        ] {
            if let Some(t) = text(s, key) {
                self.draft.set(field, t);
                self.use_path(key);
            }
        }
        for (key, field) in [
            ("x_accredited", "accredited"),
            ("x_term_time_only", "term_time_only"),
        ] {
            if s.get(key) == Some(&Value::Bool(true)) {
                self.draft.set(field, true);
                self.use_path(key);
            }
        }
        // Made by dayopps from fields mapped here: the source's page, and its provider
        // described by the services it runs.
        if let Some(page) = text(s, "x_web_page") {
            // Its page's address is kept, so links to the service still work.
            let last = page.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if formats::slug(last) {
                self.draft.slug = last.to_string();
            }
            self.use_path("x_web_page");
            self.use_path("organization.description");
        }
        if s.get("x_accredited").is_some() || self.draft.fields.contains_key("disability_confident")
        {
            self.use_path("accreditations");
        }
    }

    /// `updated` is when the entry was last checked: the record's assured date, else the
    /// day it was last changed.
    pub(super) fn dates(&mut self, s: &Value, today: Date) {
        let day = |key: &str| text(s, key).and_then(|t| formats::date(t.get(..10)?).ok());
        let found = [
            ("assured_date", day("assured_date")),
            ("last_modified", day("last_modified")),
        ];
        match found.iter().find_map(|(k, d)| d.map(|d| (*k, d))) {
            Some((key, date)) => {
                self.draft.set("updated", date.to_string());
                self.use_path(key);
                if found.iter().all(|(_, d)| d.is_some() && *d == Some(date)) {
                    self.use_path("last_modified");
                }
            }
            None => {
                self.draft.set("updated", today.to_string());
                self.draft.defaults.push(format!(
                    "`updated: {today}`, as the record has no date it was checked"
                ));
            }
        }
    }

    pub(super) fn status(&mut self, s: &Value) {
        if text(s, "status").is_none_or(|t| t == "active") {
            self.use_path("status");
        }
    }
}
