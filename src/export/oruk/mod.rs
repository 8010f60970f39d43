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
use serde_json::{Value, json};
use uuid::Uuid;

use crate::memo::{Key, Memo};
use crate::model::{
    Choice, DISABILITY_CONFIDENT, Day, Listing, Location, Session, Site, SiteConfig, Time,
    VACANCIES, fields,
};
use crate::render::facets;
use crate::render::urls::{self, Urls};
use crate::write::{Content, Output, WriteError, with_buffer};

use super::{child_id, site_id};

mod document;

use document::{
    Accessibility, Address, Attribute, Contact, CostOption, Funding, Image, Language,
    Location as LocationDoc, Organization, Phone, Schedule, ServiceArea, ServiceAtLocation,
    TaxonomyItem, Term,
};

pub const ROOT: &str = "api/index.json";
pub const SERVICES: &str = "api/services/index.json";
pub const TAXONOMIES: &str = "api/taxonomies/index.json";
pub const TAXONOMY_TERMS: &str = "api/taxonomy_terms/index.json";
pub const VERSION: &str = "3.0";
pub const PROFILE: &str = "https://github.com/OpenReferralUK/uk-profile";
pub const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/profile/openapi.json";
pub fn service_path(id: Uuid) -> String {
    format!("api/services/{id}.json")
}

/// A service's document, and what the static API writes of it.
pub struct Service {
    /// The document as `api/services/<id>.json` holds it.
    file: Arc<[u8]>,
    /// Its fields in a list of services, as JSON text.
    item: Box<RawValue>,
    /// The document as a value, for `dayopps serve`'s live API: read from `file` when first
    /// asked for, as a build has no need of it.
    doc: std::sync::OnceLock<Value>,
    /// What the live API filters by, likewise.
    facts: std::sync::OnceLock<Facts>,
}

/// The parts of a service's document the live API filters by.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Facts {
    #[serde(default)]
    attributes: Vec<TermLink>,
    #[serde(default)]
    pub schedules: Vec<Times>,
}

#[derive(Debug, serde::Deserialize)]
struct TermLink {
    taxonomy_term_id: String,
}

/// A schedule's day codes (`MO,TU`) and times (`09:30`), empty where it has none.
#[derive(Debug, serde::Deserialize)]
pub struct Times {
    #[serde(default)]
    pub byday: String,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
}

impl Facts {
    /// Whether the service links the taxonomy term with this id.
    pub fn has_term(&self, id: &str) -> bool {
        self.attributes.iter().any(|a| a.taxonomy_term_id == id)
    }
}

impl Service {
    /// Its fields in a list of services (the profile's `service_list`).
    pub fn list_item(&self) -> &RawValue {
        &self.item
    }

    pub fn doc(&self) -> &Value {
        self.doc
            .get_or_init(|| serde_json::from_slice(&self.file).unwrap_or_default())
    }

    /// Read from the document without building it as a value: the first filtered request
    /// reads every service's.
    pub fn facts(&self) -> &Facts {
        self.facts
            .get_or_init(|| serde_json::from_slice(&self.file).unwrap_or_default())
    }
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
    let terms: Vec<&RawValue> = cx
        .taxonomies
        .iter()
        .flat_map(|t| t.term_list(&cx))
        .collect();
    out.add(TAXONOMY_TERMS, bytes(&page(terms)));
}

fn raw(value: &impl Serialize) -> Box<RawValue> {
    // Only maps with keys that are not strings fail to serialise, and a document has none.
    serde_json::value::to_raw_value(value).expect("a document always serialises")
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
    let mut text = Vec::new();
    write_document(value, &mut text);
    text
}

/// As `bytes`, made in a buffer this thread keeps: for the documents made by the thousand.
fn shared_bytes(value: &impl Serialize) -> Arc<[u8]> {
    with_buffer(|text| {
        write_document(value, text);
        Arc::from(text.as_slice())
    })
}

/// A document's JSON and a line end; a document that cannot be written is left empty.
fn write_document(value: &impl Serialize, text: &mut Vec<u8>) {
    if serde_json::to_writer(&mut *text, value).is_err() {
        text.clear();
    }
    text.push(b'\n');
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
    fn term_list<'c>(&self, cx: &'c Cx) -> Vec<&'c RawValue> {
        let made = cx.terms.get(self.name);
        let term = |t: &TermInfo| Some(&*made?.get(&t.key)?.1);
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
    /// Every term's id and document (as JSON, written into every service that links it), by
    /// taxonomy and key: made once, as a service links a dozen or more.
    terms: BTreeMap<&'static str, BTreeMap<String, (Uuid, Box<RawValue>)>>,
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
                    (t.key.clone(), (id, raw(&cx.term(tax, t, id))))
                });
                (tax.name, terms.collect())
            })
            .collect();
        cx
    }

    fn taxonomy_list(&self) -> Vec<TaxonomyItem<'_>> {
        self.taxonomies
            .iter()
            .map(|t| TaxonomyItem {
                id: t.id,
                name: t.name,
                description: &t.description,
            })
            .collect()
    }

    fn term_id(&self, taxonomy: &str, key: &str) -> Uuid {
        site_id(
            &self.config.base_url,
            &format!("api/taxonomies/{taxonomy}/{key}"),
        )
    }

    fn term(&self, tax: &Taxonomy, t: &TermInfo, id: Uuid) -> Term {
        let uri = tax
            .segment
            .map(|s| self.urls.absolute(&urls::facet_value_rel(s, &t.key)));
        Term {
            id,
            name: t.label.clone(),
            description: t.description.as_ref().unwrap_or(&t.label).clone(),
            taxonomy: tax.name,
            taxonomy_id: tax.id,
            term: t.key.clone(),
            term_uri: uri,
        }
    }

    /// An attribute linking `link_id` to a term; `None` for a key the site does not know.
    fn attribute(&self, link_id: Uuid, taxonomy: &'static str, key: &str) -> Option<Attribute<'_>> {
        let (term_id, term) = self.terms.get(taxonomy)?.get(key)?;
        Some(Attribute {
            id: child_id(link_id, &["attributes/", taxonomy, "/", key].concat()),
            link_id,
            link_type: taxonomy,
            taxonomy_term_id: *term_id,
            taxonomy_term: term,
        })
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
                file: shared_bytes(&doc),
                item: raw(&doc.list_item()),
                doc: std::sync::OnceLock::new(),
                facts: std::sync::OnceLock::new(),
            })
        })
    }

    fn service<'s>(&'s self, l: &'s Listing) -> document::Service<'s> {
        let organization = self.organization(&l.provider);
        document::Service {
            id: l.id,
            name: &l.title,
            description: if l.description_plain.is_empty() {
                &l.summary
            } else {
                &l.description_plain
            },
            url: l.contact.website.as_deref(),
            email: l.contact.email.as_deref(),
            status: "active",
            organization_id: organization.id,
            organization,
            accreditations: self.accreditations(l),
            assured_date: l.updated.to_string(),
            last_modified: format!("{}T00:00:00Z", l.updated),
            schedules: schedules(l),
            service_areas: self.service_areas(l),
            service_at_locations: self.places(l),
            languages: languages(l),
            funding: self.funding(l),
            cost_options: cost_options(l),
            contacts: contacts(l),
            phones: phones(l.id, l),
            attributes: self.attributes(l),
            x_summary: &l.summary,
            x_easy_read: l.easy_read.as_deref(),
            x_progression: l.progression.as_deref(),
            x_transport: l.transport.as_deref(),
            x_accredited: l.accredited.then_some(true),
            x_term_time_only: l.term_time_only.then_some(true),
            x_review_by: l.review_by.to_string(),
            x_vacancies_updated: l.vacancies_updated.map(|d| d.to_string()),
            x_web_page: self.urls.absolute(&urls::service_rel(&l.slug)),
            x_images: self.images(l),
        }
    }

    fn organization<'s>(&self, name: &'s str) -> Organization<'s> {
        let slug = crate::scaffold::slug_for(name);
        let services = self.runs.get(name).cloned().unwrap_or_default();
        Organization {
            id: site_id(&self.config.base_url, &format!("organizations/{slug}")),
            name,
            description: format!("Runs {}.", and_list(&services)),
        }
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

    fn service_areas<'s>(&'s self, l: &'s Listing) -> Vec<ServiceArea<'s>> {
        let label = self
            .config
            .vocabularies
            .areas
            .get(&l.area)
            .map(|t| &t.label);
        vec![ServiceArea {
            id: child_id(l.id, "service_areas/0"),
            name: label.unwrap_or(&l.area),
        }]
    }

    fn places<'s>(&'s self, l: &'s Listing) -> Vec<ServiceAtLocation<'s>> {
        let place = |(i, loc): (usize, &'s Location)| {
            let location = self.location(l, loc);
            ServiceAtLocation {
                id: child_id(l.id, &format!("service_at_locations/{i}")),
                service_id: l.id,
                location_id: location.id,
                location,
            }
        };
        l.locations.iter().enumerate().map(place).collect()
    }

    /// A place has the same id in every service that runs there.
    fn location<'s>(&'s self, l: &'s Listing, loc: &'s Location) -> LocationDoc<'s> {
        let key = format!(
            "locations/{}/{}/{}",
            loc.postcode,
            loc.address,
            loc.name.as_deref().unwrap_or("")
        );
        let id = site_id(&self.config.base_url, &key.to_lowercase());
        let access = |(i, k): (usize, &'s String)| self.accessibility(id, i, k);
        // A value serialised a number only when finite, as `serde_json::Value`s were.
        let finite = |n: f64| n.is_finite().then_some(n);
        LocationDoc {
            id,
            location_type: "physical",
            name: loc.name.as_deref(),
            latitude: loc.lat_lon.and_then(|(lat, _)| finite(lat)),
            longitude: loc.lat_lon.and_then(|(_, lon)| finite(lon)),
            addresses: [self.address(l, loc, id)],
            accessibility: loc.accessibility.iter().enumerate().map(access).collect(),
        }
    }

    /// The listing has one line of address; its last part is taken as the town, as UK
    /// addresses end with it, and the profile needs one.
    fn address<'s>(&self, l: &Listing, loc: &'s Location, location_id: Uuid) -> Address<'s> {
        let parts: Vec<&str> = loc.address.split(',').map(str::trim).collect();
        let (line, city) = match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest.join(", "), last.to_string()),
            _ => (
                loc.address.clone(),
                self.config.vocabularies.areas.label_of(&l.area).to_string(),
            ),
        };
        Address {
            id: child_id(location_id, "address"),
            location_id,
            address_1: line,
            city,
            // Required by the profile, but a listing does not say which county it is in.
            state_province: "",
            postal_code: &loc.postcode,
            country: "GB",
            address_type: "physical",
        }
    }

    fn accessibility<'s>(&'s self, location_id: Uuid, i: usize, key: &'s str) -> Accessibility<'s> {
        let id = child_id(location_id, &format!("accessibility/{i}"));
        let vocab = &self.config.vocabularies.accessibility;
        Accessibility {
            id,
            location_id,
            description: vocab.label_of(key),
            attributes: self
                .attribute(id, "accessibility", key)
                .into_iter()
                .collect(),
        }
    }

    fn funding<'s>(&'s self, l: &'s Listing) -> Vec<Funding<'s>> {
        let vocab = &self.config.vocabularies.funding;
        l.funding
            .iter()
            .map(|k| Funding {
                id: child_id(l.id, &format!("funding/{k}")),
                service_id: l.id,
                source: vocab.label_of(k),
            })
            .collect()
    }

    fn attributes(&self, l: &Listing) -> Vec<Attribute<'_>> {
        let single = |c: Option<Choice>| c.map(|c| vec![c.key.to_string()]).unwrap_or_default();
        let area = vec![l.area.clone()];
        let groups: [(&'static str, &[String]); 8] = [
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
        let choices: [(&'static str, &[String]); 2] = [
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

    fn images<'s>(&self, l: &'s Listing) -> Vec<Image<'s>> {
        let base = &self.config.base_url;
        l.images
            .iter()
            .map(|i| Image {
                url: format!("{base}images/{}", i.src),
                alt: &i.alt,
                decorative: i.alt.is_empty().then_some(true),
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

fn schedules(l: &Listing) -> Vec<Schedule> {
    let notes = notes(l);
    if l.schedule.is_empty() {
        if notes.is_empty() {
            return Vec::new();
        }
        return vec![Schedule {
            id: child_id(l.id, "schedules/0"),
            service_id: l.id,
            notes,
            byday: None,
            closes_at: None,
            description: None,
            freq: None,
            interval: None,
            opens_at: None,
        }];
    }
    let one = |(i, s): (usize, &Session)| {
        let days = crate::model::schedule::days_text(&s.days);
        Schedule {
            id: child_id(l.id, &format!("schedules/{i}")),
            service_id: l.id,
            freq: Some("WEEKLY"),
            interval: Some(1),
            byday: Some(byday(&s.days)),
            opens_at: Some(clock(s.from)),
            closes_at: Some(clock(s.to)),
            description: Some(format!("{days}, {}", s.text())),
            notes: notes.clone(),
        }
    };
    l.schedule.iter().enumerate().map(one).collect()
}

fn languages<'l>(l: &'l Listing) -> Vec<Language<'l>> {
    let one = |name: &'l String| Language {
        id: child_id(l.id, &format!("languages/{}", name.to_lowercase())),
        service_id: l.id,
        name,
    };
    l.languages.iter().map(one).collect()
}

fn cost_options<'l>(l: &'l Listing) -> Vec<CostOption<'l>> {
    let one = |(i, c): (usize, &'l crate::model::Cost)| CostOption {
        id: child_id(l.id, &format!("cost_options/{i}")),
        service_id: l.id,
        amount: c.pence as f64 / 100.0,
        currency: "GBP",
        amount_description: format!("per {}", c.per.key()),
        option: c.notes.as_deref(),
    };
    l.costs.iter().enumerate().map(one).collect()
}

fn phones<'l>(owner: Uuid, l: &'l Listing) -> Vec<Phone<'l>> {
    let one = |number: &'l String| Phone {
        id: child_id(owner, "phones/0"),
        number,
    };
    l.contact.phone.iter().map(one).collect()
}

fn contacts(l: &Listing) -> Vec<Contact<'_>> {
    if l.contact.phone.is_none() && l.contact.email.is_none() {
        return Vec::new();
    }
    let id = child_id(l.id, "contacts/0");
    vec![Contact {
        id,
        service_id: l.id,
        email: l.contact.email.as_deref(),
        phones: phones(id, l),
    }]
}
