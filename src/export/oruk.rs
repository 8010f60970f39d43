//! The directory as Open Referral UK (HSDS 3) open data: static files under `api/` that
//! answer as the profile's API would, `api/services/<id>.json` for `GET /services/{id}`.
//!
//! The listing format says more than HSDS can: fields with a vocabulary become attributes
//! linking taxonomy terms, and free text HSDS has no place for goes in `x_` extension
//! properties, so nothing is lost. Empty values are left out, never written as null.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::model::{
    Choice, DISABILITY_CONFIDENT, Day, Listing, Location, Session, Site, SiteConfig, Time,
    VACANCIES, fields,
};
use crate::render::facets;
use crate::render::urls::{self, Urls};
use crate::reuse::{Key, Memo};
use crate::write::{Content, Output, WriteError};

use super::{child_id, site_id, text};

pub const ROOT: &str = "api/index.json";
pub const SERVICES: &str = "api/services/index.json";
pub const TAXONOMIES: &str = "api/taxonomies/index.json";
pub const TAXONOMY_TERMS: &str = "api/taxonomy_terms/index.json";
pub const VERSION: &str = "3.0";
pub const PROFILE: &str = "https://github.com/OpenReferralUK/uk-profile";
pub const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/profile/openapi.json";
/// The fields of a service in a list (the profile's `service_list` schema).
const LIST_FIELDS: [&str; 15] = [
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
    "organization",
];

pub fn service_path(id: Uuid) -> String {
    format!("api/services/{id}.json")
}

/// A service's document, and what the static API writes of it.
pub struct Service {
    pub doc: Value,
    /// The document as `api/services/<id>.json` holds it.
    file: Arc<[u8]>,
    /// Its fields in a list of services, as JSON text.
    item: Box<RawValue>,
}

/// Every service's document, in listing order (for the live API), taking from `made` those
/// the build before made from the same listing and provider.
pub fn services(site: &Site, made: &Memo<Arc<Service>>) -> Vec<Arc<Service>> {
    let cx = Cx::new(site);
    site.listings
        .par_iter()
        .map(|l| cx.service_reusing(l, made))
        .collect()
}

/// Writes every document of the static API into `out`.
pub fn write(site: &Site, out: &mut Output, made: &Memo<Arc<Service>>) {
    let cx = Cx::new(site);
    // Each service is made, written and dropped on its own thread: held together, the
    // documents of 10,000 services take about a gigabyte. A list needs only a few fields of
    // each, kept as their JSON text.
    let sink = &*out;
    let done: Vec<(String, Result<Content, WriteError>, Box<RawValue>)> = site
        .listings
        .par_iter()
        .map(|l| {
            let service = cx.service_reusing(l, made);
            let path = service_path(l.id);
            let written = sink.prepare(&path, Content::Shared(service.file.clone()));
            (path, written, service.item.clone())
        })
        .collect();
    let mut list = Vec::with_capacity(done.len());
    for (path, written, item) in done {
        out.record(path, written);
        list.push(item);
    }
    out.add(SERVICES, bytes(&page(list)));
    out.add(ROOT, bytes(&root()));
    out.add(TAXONOMIES, bytes(&page(cx.taxonomy_list())));
    let terms: Vec<Value> = cx
        .taxonomies
        .iter()
        .flat_map(|t| t.term_list(&cx))
        .collect();
    out.add(TAXONOMY_TERMS, bytes(&page(terms)));
}

fn raw(value: &Value) -> Box<RawValue> {
    // Only maps with keys that are not strings fail to serialise, and a `Value` has none.
    serde_json::value::to_raw_value(value).expect("a JSON value always serialises")
}

pub fn root() -> Value {
    json!({"version": VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL})
}

/// All items on one page: a static site cannot paginate on request.
pub fn page<T: Serialize>(contents: Vec<T>) -> Page<T> {
    let n = contents.len();
    page_of(contents, n, 1, n.max(1))
}

/// The profile's paginated list. Fields in alphabetical order, as a JSON object's always are
/// in this crate's output.
#[derive(Serialize)]
pub struct Page<T> {
    contents: Vec<T>,
    empty: bool,
    first_page: bool,
    last_page: bool,
    page_number: usize,
    size: usize,
    total_items: usize,
    total_pages: usize,
}

/// One page of `total_items`, numbered from 1, of at most `per_page` items.
pub fn page_of<T>(
    contents: Vec<T>,
    total_items: usize,
    page_number: usize,
    per_page: usize,
) -> Page<T> {
    let total_pages = total_items.div_ceil(per_page.max(1)).max(1);
    Page {
        total_items,
        total_pages,
        page_number,
        size: contents.len(),
        first_page: page_number == 1,
        last_page: page_number >= total_pages,
        empty: contents.is_empty(),
        contents,
    }
}

/// Compact, as APIs answer: at 10,000 services indentation alone would add 80 MB.
fn bytes(value: &impl Serialize) -> Vec<u8> {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// The fields of a service that a list of services carries.
pub fn list_item(service: &Value) -> Value {
    let mut item = Map::new();
    for key in LIST_FIELDS {
        if let Some(v) = service.get(key) {
            item.insert(key.into(), v.clone());
        }
    }
    Value::Object(item)
}

/// A JSON object without its empty members (null, "", [] and {}).
fn object(pairs: Vec<(&str, Value)>) -> Value {
    let map = pairs
        .into_iter()
        .filter(|(_, v)| !is_empty(v))
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Value::Object(map)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A taxonomy: one of the site's vocabularies, or a fixed list of the listing format.
pub struct Taxonomy {
    pub name: &'static str,
    pub id: Uuid,
    pub description: String,
    /// Where each term has a page on the site, such as `needs` for /needs/dementia/.
    segment: Option<&'static str>,
    pub terms: Vec<TermInfo>,
}

pub struct TermInfo {
    pub key: String,
    pub label: String,
    pub description: Option<String>,
}

impl Taxonomy {
    fn term_list(&self, cx: &Cx) -> Vec<Value> {
        let made = cx.terms.get(self.name);
        let term = |t: &TermInfo| Some(made?.get(&t.key)?.1.clone());
        self.terms.iter().filter_map(term).collect()
    }
}

/// The taxonomies every export has, in the order of the listing format.
pub fn taxonomies(config: &SiteConfig) -> Vec<Taxonomy> {
    let facets = facets::facets(config);
    let vocabularies = crate::model::vocab::NAMES.iter().filter_map(|name| {
        let vocab = config.vocabularies.by_name(name)?;
        let terms = vocab.terms.iter().map(|t| TermInfo {
            key: t.key.clone(),
            label: t.label.clone(),
            description: t.description.clone(),
        });
        let segment = facets.iter().find(|f| f.key == *name).map(|f| f.segment);
        Some(taxonomy(config, vocab.name, segment, terms.collect()))
    });
    let choices = [
        ("vacancies", &VACANCIES[..]),
        ("disability_confident", &DISABILITY_CONFIDENT[..]),
    ]
    .map(|(name, list)| taxonomy(config, name, None, list.iter().map(choice_term).collect()));
    vocabularies.chain(choices).collect()
}

fn choice_term(c: &Choice) -> TermInfo {
    TermInfo {
        key: c.key.into(),
        label: c.label.into(),
        description: None,
    }
}

fn taxonomy(
    config: &SiteConfig,
    name: &'static str,
    segment: Option<&'static str>,
    terms: Vec<TermInfo>,
) -> Taxonomy {
    let field = if name == "areas" { "area" } else { name };
    let description = fields::LISTING
        .iter()
        .find(|f| f.name == field)
        .map_or_else(|| name.replace('_', " "), |f| f.description.to_string());
    Taxonomy {
        name,
        id: site_id(&config.base_url, &format!("api/taxonomies/{name}")),
        description,
        segment,
        terms,
    }
}

/// What building a service needs from the whole site.
struct Cx<'a> {
    config: &'a SiteConfig,
    urls: Urls,
    taxonomies: Vec<Taxonomy>,
    /// Every term's id and document, by taxonomy and key: made once, as a service links
    /// a dozen or more.
    terms: BTreeMap<&'static str, BTreeMap<String, (Uuid, Value)>>,
    /// Each provider's services, by title: an organization is described by what it runs.
    runs: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Cx<'a> {
    fn new(site: &'a Site) -> Self {
        let mut runs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for l in &site.listings {
            runs.entry(&l.provider).or_default().push(&l.title);
        }
        let mut cx = Cx {
            config: &site.config,
            urls: Urls::new(&site.config.base_url, &site.config.base_path()),
            taxonomies: taxonomies(&site.config),
            terms: BTreeMap::new(),
            runs,
        };
        cx.terms = cx
            .taxonomies
            .iter()
            .map(|tax| {
                let terms = tax.terms.iter().map(|t| {
                    let id = cx.term_id(tax.name, &t.key);
                    (t.key.clone(), (id, cx.term(tax, t, id)))
                });
                (tax.name, terms.collect())
            })
            .collect();
        cx
    }

    fn taxonomy_list(&self) -> Vec<Value> {
        self.taxonomies
            .iter()
            .map(|t| {
                object(vec![
                    ("id", json!(t.id)),
                    ("name", json!(t.name)),
                    ("description", json!(t.description)),
                ])
            })
            .collect()
    }

    fn term_id(&self, taxonomy: &str, key: &str) -> Uuid {
        site_id(
            &self.config.base_url,
            &format!("api/taxonomies/{taxonomy}/{key}"),
        )
    }

    fn term(&self, tax: &Taxonomy, t: &TermInfo, id: Uuid) -> Value {
        let uri = tax
            .segment
            .map(|s| self.urls.absolute(&urls::facet_value_rel(s, &t.key)));
        object(vec![
            ("id", json!(id)),
            ("name", json!(t.label)),
            (
                "description",
                json!(t.description.as_ref().unwrap_or(&t.label)),
            ),
            ("taxonomy", json!(tax.name)),
            ("taxonomy_id", json!(tax.id)),
            ("term", json!(t.key)),
            ("term_uri", json!(uri)),
        ])
    }

    /// An attribute linking `link_id` to a term; `None` for a key the site does not know.
    fn attribute(&self, link_id: Uuid, taxonomy: &str, key: &str) -> Option<Value> {
        let (term_id, term) = self.terms.get(taxonomy)?.get(key)?;
        Some(object(vec![
            (
                "id",
                json!(child_id(link_id, &format!("attributes/{taxonomy}/{key}"))),
            ),
            ("link_id", json!(link_id)),
            ("link_type", json!(taxonomy)),
            ("taxonomy_term_id", json!(term_id)),
            ("taxonomy_term", term.clone()),
        ]))
    }

    /// A service's document is made of its listing and the titles of its provider's services.
    fn service_reusing(&self, l: &Listing, made: &Memo<Arc<Service>>) -> Arc<Service> {
        let key = || {
            Key::new("oruk service")
                .part(&l.stamp)
                .part(&self.runs.get(l.provider.as_str()))
                .finish()
        };
        made.get(key, || {
            let doc = self.service(l);
            Arc::new(Service {
                file: bytes(&doc).into(),
                item: raw(&list_item(&doc)),
                doc,
            })
        })
    }

    fn service(&self, l: &Listing) -> Value {
        let org = self.organization(&l.provider);
        let description = text::plain(&l.description_html);
        object(vec![
            ("id", json!(l.id)),
            ("name", json!(l.title)),
            (
                "description",
                json!(if description.is_empty() {
                    &l.summary
                } else {
                    &description
                }),
            ),
            ("url", json!(l.contact.website)),
            ("email", json!(l.contact.email)),
            ("status", json!("active")),
            ("organization_id", org["id"].clone()),
            ("organization", org),
            ("accreditations", json!(self.accreditations(l))),
            ("assured_date", json!(l.updated.to_string())),
            ("last_modified", json!(format!("{}T00:00:00Z", l.updated))),
            ("schedules", Value::Array(schedules(l))),
            ("service_areas", Value::Array(self.service_areas(l))),
            ("service_at_locations", Value::Array(self.places(l))),
            ("languages", Value::Array(languages(l))),
            ("funding", Value::Array(self.funding(l))),
            ("cost_options", Value::Array(cost_options(l))),
            ("contacts", Value::Array(contacts(l))),
            ("phones", Value::Array(phones(l.id, l))),
            ("attributes", Value::Array(self.attributes(l))),
            ("x_summary", json!(l.summary)),
            ("x_easy_read", json!(l.easy_read)),
            ("x_progression", json!(l.progression)),
            ("x_transport", json!(l.transport)),
            ("x_accredited", json!(l.accredited.then_some(true))),
            ("x_term_time_only", json!(l.term_time_only.then_some(true))),
            ("x_review_by", json!(l.review_by.to_string())),
            (
                "x_vacancies_updated",
                json!(l.vacancies_updated.map(|d| d.to_string())),
            ),
            (
                "x_web_page",
                json!(self.urls.absolute(&urls::service_rel(&l.slug))),
            ),
            ("x_images", Value::Array(self.images(l))),
        ])
    }

    fn organization(&self, name: &str) -> Value {
        let slug = crate::scaffold::slug_for(name);
        let services = self.runs.get(name).cloned().unwrap_or_default();
        object(vec![
            (
                "id",
                json!(site_id(
                    &self.config.base_url,
                    &format!("organizations/{slug}")
                )),
            ),
            ("name", json!(name)),
            (
                "description",
                json!(format!("Runs {}.", and_list(&services))),
            ),
        ])
    }

    fn accreditations(&self, l: &Listing) -> String {
        let mut parts = Vec::new();
        if l.accredited {
            parts.push(format!("On {}'s accredited list.", self.config.council));
        }
        if let Some(dc) = l.disability_confident {
            parts.push(format!("{}.", dc.label));
        }
        parts.join(" ")
    }

    fn service_areas(&self, l: &Listing) -> Vec<Value> {
        let label = self
            .config
            .vocabularies
            .areas
            .get(&l.area)
            .map(|t| &t.label);
        vec![object(vec![
            ("id", json!(child_id(l.id, "service_areas/0"))),
            ("name", json!(label.unwrap_or(&l.area))),
        ])]
    }

    fn places(&self, l: &Listing) -> Vec<Value> {
        let place = |(i, loc): (usize, &Location)| {
            let location = self.location(l, loc);
            object(vec![
                (
                    "id",
                    json!(child_id(l.id, &format!("service_at_locations/{i}"))),
                ),
                ("service_id", json!(l.id)),
                ("location_id", location["id"].clone()),
                ("location", location),
            ])
        };
        l.locations.iter().enumerate().map(place).collect()
    }

    /// A place has the same id in every service that runs there.
    fn location(&self, l: &Listing, loc: &Location) -> Value {
        let key = format!(
            "locations/{}/{}/{}",
            loc.postcode,
            loc.address,
            loc.name.as_deref().unwrap_or("")
        );
        let id = site_id(&self.config.base_url, &key.to_lowercase());
        let access = |(i, k): (usize, &String)| self.accessibility(id, i, k);
        object(vec![
            ("id", json!(id)),
            ("location_type", json!("physical")),
            ("name", json!(loc.name)),
            ("latitude", json!(loc.lat_lon.map(|(lat, _)| lat))),
            ("longitude", json!(loc.lat_lon.map(|(_, lon)| lon))),
            ("addresses", json!([self.address(l, loc, id)])),
            (
                "accessibility",
                Value::Array(loc.accessibility.iter().enumerate().map(access).collect()),
            ),
        ])
    }

    /// The listing has one line of address; its last part is taken as the town, as UK
    /// addresses end with it, and the profile needs one.
    fn address(&self, l: &Listing, loc: &Location, location_id: Uuid) -> Value {
        let parts: Vec<&str> = loc.address.split(',').map(str::trim).collect();
        let (line, city) = match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest.join(", "), last.to_string()),
            _ => (loc.address.clone(), self.area_label(&l.area)),
        };
        json!({
            "id": child_id(location_id, "address"),
            "location_id": location_id,
            "address_1": line,
            "city": city,
            // Required by the profile, but a listing does not say which county it is in.
            "state_province": "",
            "postal_code": loc.postcode,
            "country": "GB",
            "address_type": "physical",
        })
    }

    fn area_label(&self, key: &str) -> String {
        let term = self.config.vocabularies.areas.get(key);
        term.map_or_else(|| key.to_string(), |t| t.label.clone())
    }

    fn accessibility(&self, location_id: Uuid, i: usize, key: &str) -> Value {
        let id = child_id(location_id, &format!("accessibility/{i}"));
        let vocab = &self.config.vocabularies.accessibility;
        let label = vocab.get(key).map_or(key, |t| t.label.as_str());
        object(vec![
            ("id", json!(id)),
            ("location_id", json!(location_id)),
            ("description", json!(label)),
            (
                "attributes",
                json!(
                    self.attribute(id, "accessibility", key)
                        .into_iter()
                        .collect::<Vec<_>>()
                ),
            ),
        ])
    }

    fn funding(&self, l: &Listing) -> Vec<Value> {
        let vocab = &self.config.vocabularies.funding;
        let source = |k: &String| vocab.get(k).map_or(k.clone(), |t| t.label.clone());
        l.funding
            .iter()
            .map(|k| {
                json!({"id": child_id(l.id, &format!("funding/{k}")), "service_id": l.id, "source": source(k)})
            })
            .collect()
    }

    fn attributes(&self, l: &Listing) -> Vec<Value> {
        let single = |c: Option<Choice>| c.map(|c| vec![c.key.to_string()]).unwrap_or_default();
        let area = vec![l.area.clone()];
        let groups: [(&str, &[String]); 8] = [
            ("needs", &l.needs),
            ("service_types", &l.service_types),
            ("activities", &l.activities),
            ("funding", &l.funding),
            ("referral", &l.referral),
            ("accessibility", &l.accessibility),
            ("outcomes", &l.outcomes),
            ("areas", &area),
        ];
        let vacancies = single(l.vacancies);
        let confident = single(l.disability_confident);
        let choices: [(&str, &[String]); 2] = [
            ("vacancies", &vacancies),
            ("disability_confident", &confident),
        ];
        groups
            .iter()
            .chain(&choices)
            .flat_map(|(tax, keys)| keys.iter().map(move |k| (*tax, k)))
            .filter_map(|(tax, k)| self.attribute(l.id, tax, k))
            .collect()
    }

    fn images(&self, l: &Listing) -> Vec<Value> {
        let base = &self.config.base_url;
        l.images
            .iter()
            .map(|i| {
                object(vec![
                    ("url", json!(format!("{base}images/{}", i.src))),
                    ("alt", json!(i.alt)),
                    ("decorative", json!(i.alt.is_empty().then_some(true))),
                ])
            })
            .collect()
    }
}

/// "A, B and C"
pub fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// RFC 5545 day codes: "MO,TU".
pub fn byday(days: &[Day]) -> String {
    let code = |d: &Day| d.key()[..2].to_uppercase();
    days.iter().map(code).collect::<Vec<_>>().join(",")
}

/// "09:30:00", as the profile's examples write times.
pub fn clock(t: Time) -> String {
    format!("{:02}:{:02}:00", t.0 / 60, t.0 % 60)
}

fn notes(l: &Listing) -> String {
    let term = l.term_time_only.then_some("Term time only.");
    let parts: Vec<&str> = term
        .into_iter()
        .chain(l.schedule_notes.as_deref())
        .collect();
    parts.join(" ")
}

fn schedules(l: &Listing) -> Vec<Value> {
    let notes = notes(l);
    if l.schedule.is_empty() {
        let only = object(vec![
            ("id", json!(child_id(l.id, "schedules/0"))),
            ("service_id", json!(l.id)),
            ("notes", json!(notes)),
        ]);
        return if notes.is_empty() { vec![] } else { vec![only] };
    }
    let one = |(i, s): (usize, &Session)| {
        let days = crate::model::schedule::days_text(&s.days);
        object(vec![
            ("id", json!(child_id(l.id, &format!("schedules/{i}")))),
            ("service_id", json!(l.id)),
            ("freq", json!("WEEKLY")),
            ("interval", json!(1)),
            ("byday", json!(byday(&s.days))),
            ("opens_at", json!(clock(s.from))),
            ("closes_at", json!(clock(s.to))),
            ("description", json!(format!("{days}, {}", s.text()))),
            ("notes", json!(notes)),
        ])
    };
    l.schedule.iter().enumerate().map(one).collect()
}

fn languages(l: &Listing) -> Vec<Value> {
    let one = |name: &String| {
        let id = child_id(l.id, &format!("languages/{}", name.to_lowercase()));
        json!({"id": id, "service_id": l.id, "name": name})
    };
    l.languages.iter().map(one).collect()
}

fn cost_options(l: &Listing) -> Vec<Value> {
    let one = |(i, c): (usize, &crate::model::Cost)| {
        object(vec![
            ("id", json!(child_id(l.id, &format!("cost_options/{i}")))),
            ("service_id", json!(l.id)),
            ("amount", json!(c.pence as f64 / 100.0)),
            ("currency", json!("GBP")),
            ("amount_description", json!(format!("per {}", c.per.key()))),
            ("option", json!(c.notes)),
        ])
    };
    l.costs.iter().enumerate().map(one).collect()
}

fn phones(owner: Uuid, l: &Listing) -> Vec<Value> {
    let one = |number: &String| json!({"id": child_id(owner, "phones/0"), "number": number});
    l.contact.phone.iter().map(one).collect()
}

fn contacts(l: &Listing) -> Vec<Value> {
    if l.contact.phone.is_none() && l.contact.email.is_none() {
        return Vec::new();
    }
    let id = child_id(l.id, "contacts/0");
    vec![object(vec![
        ("id", json!(id)),
        ("service_id", json!(l.id)),
        ("email", json!(l.contact.email)),
        ("phones", Value::Array(phones(id, l))),
    ])]
}
