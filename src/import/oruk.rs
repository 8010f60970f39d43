//! Open Referral UK (HSDS 3) services to listings. What maps is mapped; every other value
//! in the record is reported and kept in the description, so nothing is silently lost.
//! Values that do not match the site's vocabularies are not guessed: a default is chosen
//! only where the listing format requires a value, and then the listing is left a draft.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{
    CostPer, DISABILITY_CONFIDENT, Date, Day, SiteConfig, Time, VACANCIES, Vocabulary,
};
use crate::validate::{SUMMARY_MAX, formats};

use super::draft::{Draft, escape};

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
/// The vocabulary-backed list fields an attribute can fill, by taxonomy name: every
/// vocabulary but `areas`, which a listing holds as one value.
const LIST_FIELDS: [&str; 7] = {
    let n = crate::model::vocab::NAMES;
    [n[0], n[1], n[2], n[3], n[4], n[5], n[6]]
};
const NO_SCHEDULE: &str = "Contact the service to ask when it runs.";

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
fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

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
    };
    m.run(service, today);
    m.draft
}

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

    fn identity(&mut self, s: &Value) {
        let name = text(s, "name").unwrap_or("");
        self.draft.name = name.to_string();
        self.draft.slug = crate::scaffold::slug_for(name);
        if !name.is_empty() {
            self.draft.set("title", name);
            self.use_path("name");
        }
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
            self.draft.description = d
                .split("\n\n")
                .map(|p| escape(p.trim()))
                .collect::<Vec<_>>()
                .join("\n\n");
            self.use_path("description");
        }
    }

    /// The first usable phone, email and website, from the service, its contacts or its
    /// organization, in that order.
    fn contact(&mut self, s: &Value) {
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

    fn schedules(&mut self, s: &Value) {
        let mut sessions = Vec::new();
        for (i, sch) in items(s, "schedules") {
            let at = format!("schedules[{i}]");
            if let Some(session) = weekly(sch) {
                for key in ["freq", "byday", "opens_at", "closes_at"] {
                    self.use_path(format!("{at}.{key}"));
                }
                if sch.get("interval").and_then(Value::as_f64) == Some(1.0) {
                    self.use_path(format!("{at}.interval"));
                }
                let generated = session_description(&session);
                if text(sch, "description") == Some(generated.as_str()) {
                    self.use_path(format!("{at}.description"));
                }
                sessions.push(session);
            }
            for key in ["description", "notes"] {
                if let Some(t) = text(sch, key).filter(|_| !self.is_used(&format!("{at}.{key}"))) {
                    self.note(t);
                    self.use_path(format!("{at}.{key}"));
                }
            }
        }
        let list: Vec<serde_yaml::Value> = sessions.iter().map(session_yaml).collect();
        self.draft
            .set("schedule", serde_yaml::Value::Sequence(list));
    }

    /// Schedule notes, once each; "Term time only." (as dayopps exports it) sets the flag.
    fn note(&mut self, t: &str) {
        let t = match t.strip_prefix("Term time only.") {
            Some(rest) => {
                self.draft.set("term_time_only", true);
                rest.trim()
            }
            None => t,
        };
        if !t.is_empty() && !self.notes.iter().any(|n| n == t) {
            self.notes.push(t.to_string());
        }
    }

    fn places(&mut self, s: &Value) {
        let mut locations = Vec::new();
        for (i, sal) in items(s, "service_at_locations") {
            let Some(loc) = sal.get("location") else {
                continue;
            };
            let at = format!("service_at_locations[{i}].location");
            if let Some(l) = self.location(loc, &at) {
                locations.push(l);
            }
        }
        self.locations = locations.len();
        if !locations.is_empty() {
            self.draft
                .set("locations", serde_yaml::Value::Sequence(locations));
        }
    }

    fn location(&mut self, loc: &Value, at: &str) -> Option<serde_yaml::Value> {
        let (a, address) =
            items(loc, "addresses").find(|(_, a)| text(a, "address_type") != Some("virtual"))?;
        let line = address_line(address);
        let at_address = format!("{at}.addresses[{a}]");
        let Some(postcode) = text(address, "postal_code").and_then(formats::postcode) else {
            let why = format!("{line} (not kept as a place: it has no UK postcode)");
            self.unmapped(at_address, why);
            return None;
        };
        self.use_path(at_address);
        let mut out = serde_yaml::Mapping::new();
        if let Some(name) = text(loc, "name") {
            out.insert("name".into(), name.into());
            self.use_path(format!("{at}.name"));
        }
        out.insert("address".into(), line.into());
        out.insert("postcode".into(), postcode.into());
        self.coordinates(loc, at, &mut out);
        let access = self.location_access(loc, at);
        if !access.is_empty() {
            out.insert("accessibility".into(), access.into());
        }
        if text(loc, "location_type").is_some_and(|t| t == "physical" || t == "postal") {
            self.use_path(format!("{at}.location_type"));
        }
        Some(serde_yaml::Value::Mapping(out))
    }

    fn coordinates(&mut self, loc: &Value, at: &str, out: &mut serde_yaml::Mapping) {
        let lat = loc.get("latitude").and_then(Value::as_f64);
        let lon = loc.get("longitude").and_then(Value::as_f64);
        if let (Some(lat), Some(lon)) = (lat, lon)
            && lat.abs() <= 90.0
            && lon.abs() <= 180.0
        {
            out.insert("lat".into(), lat.into());
            out.insert("lon".into(), lon.into());
            self.use_path(format!("{at}.latitude"));
            self.use_path(format!("{at}.longitude"));
        }
    }

    fn location_access(&mut self, loc: &Value, at: &str) -> Vec<String> {
        let vocab = &self.config.vocabularies.accessibility;
        let mut keys = Vec::new();
        for (i, a) in items(loc, "accessibility") {
            let from_terms = items(a, "attributes")
                .filter_map(|(_, x)| x.get("taxonomy_term"))
                .find_map(|t| {
                    ["term", "name"]
                        .iter()
                        .find_map(|k| find_term(vocab, text(t, k)?))
                });
            let key = from_terms.or_else(|| find_term(vocab, text(a, "description")?));
            if let Some(key) = key {
                let path = format!("{at}.accessibility[{i}]");
                self.use_path(format!("{path}.attributes"));
                self.use_path(format!("{path}.description"));
                keys.push(key);
            }
        }
        keys
    }

    fn languages(&mut self, s: &Value) {
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

    fn costs(&mut self, s: &Value) {
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

    fn funding(&mut self, s: &Value) {
        for (i, f) in items(s, "funding") {
            let key =
                text(f, "source").and_then(|t| find_term(&self.config.vocabularies.funding, t));
            if let Some(key) = key {
                self.add_term("funding", key);
                self.use_path(format!("funding[{i}].source"));
            }
        }
    }

    fn attributes(&mut self, s: &Value) {
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
    fn service_areas(&mut self, s: &Value) {
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

    /// The `x_` properties dayopps exports for what HSDS has no field for.
    fn extensions(&mut self, s: &Value) {
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
    fn dates(&mut self, s: &Value, today: Date) {
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

    fn status(&mut self, s: &Value) {
        if text(s, "status").is_none_or(|t| t == "active") {
            self.use_path("status");
        }
    }

    /// Every value not carried over, in the record's order, except links between records.
    fn leftovers(&mut self, s: &Value) {
        let mut leaves = Vec::new();
        flatten("", s, &mut leaves);
        for (path, value) in leaves {
            let last = path.rsplit(['.', ']']).next().unwrap_or("");
            if !self.is_used(&path) && !LINKS.contains(&last) {
                self.draft.unmapped.push((path, value));
            }
        }
    }

    /// Fills what the format requires and the record did not give, saying so.
    fn required(&mut self) {
        let v = &self.config.vocabularies;
        let has_place = self.locations > 0;
        let place_type = if has_place {
            "building-based"
        } else {
            "virtual"
        };
        let fallback = [
            ("needs", None, "the record names none of the site's needs"),
            (
                "service_types",
                Some(place_type),
                "the record names none of the site's service types",
            ),
            (
                "funding",
                self.costs.then_some("self-funded"),
                "the record names none of the site's ways of paying",
            ),
            (
                "referral",
                Some("self-referral"),
                "the record does not say how to get a place",
            ),
        ];
        for (field, preferred, why) in fallback {
            if self.terms.get(field).is_none_or(Vec::is_empty) {
                let Some(vocab) = v.by_name(field) else {
                    continue;
                };
                let key = preferred
                    .filter(|p| vocab.get(p).is_some())
                    .or_else(|| vocab.keys().next());
                if let Some(key) = key {
                    self.draft
                        .defaults
                        .push(format!("`{field}: [{key}]`, as {why}"));
                    self.add_term(field, key.to_string());
                }
            }
        }
        for (field, keys) in std::mem::take(&mut self.terms) {
            self.draft.set(field, keys);
        }
        self.required_text();
        self.required_area();
        self.required_schedule();
    }

    fn required_text(&mut self) {
        if !self.draft.fields.contains_key("title") {
            self.draft.set("title", "Untitled service");
            self.draft
                .defaults
                .push("`title: Untitled service`, as the record has no name".into());
            if self.draft.slug.is_empty() {
                self.draft.slug = "untitled-service".into();
            }
        }
        if !self.draft.fields.contains_key("provider") {
            self.draft.set("provider", "Unknown");
            self.draft
                .defaults
                .push("`provider: Unknown`, as the record names no organization".into());
        }
        if !self.draft.fields.contains_key("summary") {
            let (summary, whole) = summary_of(&self.draft.description, &self.draft.name);
            if !whole {
                self.draft
                    .defaults
                    .push("`summary`, shortened from the description".into());
            }
            self.draft.set("summary", summary);
        }
        if !self.draft.fields.contains_key("contact") {
            self.draft.defaults.push("nothing for `contact`: the record has no phone number, email address or website in a usable form, so add one before publishing".into());
        }
        if !has_place_or_remote(self) {
            self.draft
                .defaults
                .push("no place: add a location with a UK postcode before publishing".into());
        }
    }

    fn required_area(&mut self) {
        if self.draft.fields.contains_key("area") {
            return;
        }
        let areas = &self.config.vocabularies.areas;
        let addresses = self
            .draft
            .unmapped
            .iter()
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .join(" ");
        let places = serde_yaml::to_string(&self.draft.fields.get("locations")).unwrap_or_default();
        let haystack = format!("{places} {addresses}").to_lowercase();
        let named = areas
            .terms
            .iter()
            .find(|t| haystack.contains(&t.label.to_lowercase()));
        let home = areas.terms.iter().find(|t| t.in_borough == Some(true));
        if let Some(t) = named {
            self.draft.set("area", t.key.clone());
        } else if let Some(t) = home.or(areas.terms.first()) {
            self.draft.defaults.push(format!(
                "`area: {}`, as the record does not name one of the site's areas",
                t.key
            ));
            self.draft.set("area", t.key.clone());
        }
    }

    fn required_schedule(&mut self) {
        let empty = self
            .draft
            .fields
            .get("schedule")
            .and_then(|v| v.as_sequence())
            .is_none_or(Vec::is_empty);
        if empty && self.notes.is_empty() {
            self.draft.defaults.push(format!(
                "`schedule_notes: {NO_SCHEDULE}`, as the record has no weekly times"
            ));
            self.notes.push(NO_SCHEDULE.into());
        }
        if !self.notes.is_empty() {
            self.draft.set("schedule_notes", self.notes.join(" "));
        }
    }
}

fn has_place_or_remote(m: &Mapper) -> bool {
    let remote = ["virtual", "support-at-home"];
    let types = m
        .draft
        .fields
        .get("service_types")
        .and_then(|v| v.as_sequence());
    let all_remote = types.is_some_and(|t| {
        t.iter()
            .all(|x| x.as_str().is_some_and(|s| remote.contains(&s)))
    });
    m.locations > 0 || all_remote
}

/// A weekly session from a schedule, when it has days and times the format can hold.
fn weekly(sch: &Value) -> Option<crate::model::Session> {
    if text(sch, "freq").is_some_and(|f| !f.eq_ignore_ascii_case("WEEKLY")) {
        return None;
    }
    if sch
        .get("interval")
        .and_then(Value::as_f64)
        .is_some_and(|i| i != 1.0)
    {
        return None;
    }
    let mut days = Vec::new();
    for code in text(sch, "byday")?.split(',') {
        let code = code.trim().to_lowercase();
        days.push(
            *Day::ALL
                .iter()
                .find(|d| d.key().starts_with(&code) && code.len() == 2)?,
        );
    }
    days.sort();
    days.dedup();
    let time = |key| Time::parse(text(sch, key)?.get(..5)?);
    let (from, to) = (time("opens_at")?, time("closes_at")?);
    (from < to && !days.is_empty()).then_some(crate::model::Session { days, from, to })
}

/// What dayopps writes as a schedule's description, so its own exports are not repeated.
fn session_description(s: &crate::model::Session) -> String {
    format!(
        "{}, {}",
        crate::model::schedule::days_text(&s.days),
        s.text()
    )
}

fn session_yaml(s: &crate::model::Session) -> serde_yaml::Value {
    let hhmm = |t: Time| format!("{:02}:{:02}", t.0 / 60, t.0 % 60);
    let days: Vec<&str> = s.days.iter().map(|d| d.key()).collect();
    let mut m = serde_yaml::Mapping::new();
    m.insert("days".into(), days.into());
    m.insert("from".into(), hhmm(s.from).into());
    m.insert("to".into(), hhmm(s.to).into());
    serde_yaml::Value::Mapping(m)
}

/// One line of address from its parts; the country only when it is not the UK.
fn address_line(a: &Value) -> String {
    let uk = [
        "GB",
        "UK",
        "United Kingdom",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ];
    let mut parts: Vec<&str> = Vec::new();
    for key in [
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "country",
    ] {
        let Some(t) = text(a, key) else { continue };
        let skip = parts.iter().any(|p| p.eq_ignore_ascii_case(t))
            || key == "country" && uk.iter().any(|u| u.eq_ignore_ascii_case(t));
        if !skip {
            parts.push(t);
        }
    }
    parts.join(", ")
}

/// The description's first paragraph, cut at a sentence (or word) to fit; `true` when whole.
fn summary_of(description: &str, name: &str) -> (String, bool) {
    let first = description
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace('\\', "");
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if first.is_empty() {
        return (name.to_string(), false);
    }
    if first.chars().count() <= SUMMARY_MAX {
        return (first, true);
    }
    let cut: String = first.chars().take(SUMMARY_MAX - 1).collect();
    let at = cut
        .rfind(". ")
        .map(|i| i + 1)
        .or_else(|| cut.rfind(' '))
        .unwrap_or(cut.len());
    let mut short = cut[..at].trim_end().to_string();
    if !short.ends_with('.') {
        short.push('…');
    }
    (short, false)
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
