//! The live Open Referral UK API of `dayopps serve`: the nine endpoints of the profile's
//! 3.0 OpenAPI. Lists are paged on request (`params`), services are chosen from the tantivy
//! index and their documents (`select`), and places have a file of their own (`places`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::export::oruk;
use crate::memo::Memo;
use crate::model::Site;
use crate::model::geo::{LatLon, Postcodes};
use crate::search::SearchIndex;

mod params;
mod places;
mod select;

use params::{Filters, Paging, TermQuery};

pub struct Api {
    /// Full service documents, in listing (title) order.
    services: Vec<Arc<oruk::Service>>,
    /// Listing index by slug and by service id.
    by_slug: BTreeMap<String, usize>,
    by_id: BTreeMap<String, usize>,
    /// Each service's places (in the order of its `service_at_locations`) where they are.
    places: Vec<Vec<Option<LatLon>>>,
    /// A service at a location's service and place, by its id.
    by_place: BTreeMap<String, (usize, usize)>,
    postcodes: Option<Arc<Postcodes>>,
    vocabularies: oruk::Vocabularies,
    /// Each term's taxonomy id, by the term's id, for `taxonomy_id`.
    term_taxonomy: BTreeMap<String, String>,
}

impl Api {
    pub fn new(site: &Site, made: &Memo<Arc<oruk::Service>>) -> Api {
        let listings = &site.listings;
        let by_slug = listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.slug.clone(), i))
            .collect();
        let by_id = listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.to_string(), i))
            .collect();
        let by_place = listings
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                (0..l.locations.len()).map(move |p| (oruk::place_id(l.id, p).to_string(), (i, p)))
            })
            .collect();
        let vocabularies = oruk::vocabularies(site);
        let term_taxonomy = vocabularies
            .terms
            .iter()
            .map(|t| (t.id.to_string(), t.taxonomy_id.to_string()))
            .collect();
        Api {
            services: oruk::services(site, made),
            by_slug,
            by_id,
            places: listings
                .iter()
                .map(|l| l.locations.iter().map(|p| p.lat_lon).collect())
                .collect(),
            by_place,
            postcodes: site.postcodes.clone(),
            vocabularies,
            term_taxonomy,
        }
    }

    /// The answer to `GET /api/<rest>?<query>`: a status and a JSON body, or `None` when
    /// the path is not one the live API answers (the static files may).
    pub fn respond(&self, rest: &str, query: &str, index: &SearchIndex) -> Option<(u16, Value)> {
        let rest = rest.trim_end_matches('/');
        let (collection, id) = match rest.split_once('/') {
            Some((c, "index.json")) => (c, None),
            Some((c, id)) => (c, Some(id.trim_end_matches(".json"))),
            None => (rest, None),
        };
        if id.is_some_and(|id| id.contains('/')) {
            // Deeper than an object, such as `services/page/2.json`: the static API's files.
            return None;
        }
        let answer = match (collection, id) {
            ("" | "index.json", None) => (200, oruk::root()),
            ("services", None) => with(Filters::parse(query), |f| self.list(f, index)),
            ("service_at_locations", None) => {
                with(Filters::parse(query), |f| self.places_list(f, index))
            }
            ("taxonomies", None) => {
                let all: Vec<&oruk::Entry> = self.vocabularies.taxonomies.iter().collect();
                with(Paging::parse(query), |p| entries(&all, p))
            }
            ("taxonomy_terms", None) => with(TermQuery::parse(query), |q| self.terms(q)),
            ("services", Some(id)) => match self.by_id.get(id) {
                Some(&i) => (200, self.services[i].doc().clone()),
                None => not_found("service", id),
            },
            ("service_at_locations", Some(id)) => self.place(id),
            ("taxonomies", Some(id)) => entry(&self.vocabularies.taxonomies, "taxonomy", id),
            ("taxonomy_terms", Some(id)) => entry(&self.vocabularies.terms, "taxonomy term", id),
            _ => return None,
        };
        Some(answer)
    }

    fn list(&self, f: &Filters, index: &SearchIndex) -> (u16, Value) {
        let matching = self.matching(f, index);
        let contents: Vec<&RawValue> = f
            .paging
            .slice(&matching)
            .map(|&i| self.services[i].list_item())
            .collect();
        let page = oruk::page_of(contents, matching.len(), f.paging.page, f.paging.per_page);
        (200, json!(page))
    }

    /// `/taxonomy_terms`, of one taxonomy when `taxonomy_id` names it.
    fn terms(&self, f: &TermQuery) -> (u16, Value) {
        let all: Vec<&oruk::Entry> = self
            .vocabularies
            .terms
            .iter()
            .filter(|t| {
                let tax = t.taxonomy_id.to_string();
                f.taxonomy_ids.iter().all(|asked| *asked == tax)
            })
            .collect();
        entries(&all, &f.paging)
    }
}

/// The answer made from a request's parameters, or a 400 saying what is wrong with them.
fn with<P>(parsed: Result<P, String>, answer: impl FnOnce(&P) -> (u16, Value)) -> (u16, Value) {
    match parsed {
        Ok(p) => answer(&p),
        Err(message) => (400, json!({ "error": message })),
    }
}

/// A page of taxonomies or terms.
fn entries(all: &[&oruk::Entry], paging: &Paging) -> (u16, Value) {
    let contents: Vec<&RawValue> = paging.slice(all).map(|e| &*e.doc).collect();
    let page = oruk::page_of(contents, all.len(), paging.page, paging.per_page);
    (200, json!(page))
}

/// A taxonomy or term by its id.
fn entry(all: &[oruk::Entry], what: &str, id: &str) -> (u16, Value) {
    match all.iter().find(|e| e.id.to_string() == id) {
        Some(e) => (200, serde_json::from_str(e.doc.get()).unwrap_or_default()),
        None => not_found(what, id),
    }
}

fn not_found(what: &str, id: &str) -> (u16, Value) {
    let message = format!("there is no {what} with id {id}");
    (404, json!({ "error": message }))
}
