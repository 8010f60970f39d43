//! The directory as Open Referral UK (HSDS 3) open data: static files under `api/` that
//! answer as the profile's API would, `api/services/<id>.json` for `GET /services/{id}`.
//!
//! The listing format says more than HSDS can: fields with a vocabulary become attributes
//! linking taxonomy terms, and free text HSDS has no place for goes in `x_` extension
//! properties, so nothing is lost. Empty values are left out, never written as null.
//!
//! The static API's files and pages are in `files`, each service's document as bytes kept
//! between builds in `service`, what a listing says as a document in `listing` (with its
//! `places` and `schedule`), and the vocabularies as taxonomies in `taxonomy`.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use uuid::Uuid;

use crate::model::urls::Urls;
use crate::model::{Site, SiteConfig};

mod at_location;
mod document;
mod files;
mod hosts;
mod listing;
mod lists;
mod places;
mod schedule;
mod service;
mod taxonomy;

pub use at_location::BRIEF;
pub use files::{Page, page, page_of, root, write};
pub use hosts::{AZURE, HEADERS, LISTS, REDIRECTS};
pub use listing::and_list;
pub use lists::{PER_PAGE, first_page_path, page_path};
pub use places::place_id;
pub use schedule::{byday, clock};
pub use service::{Facts, Service, Times, services};
pub use taxonomy::{Entry, Taxonomy, TermInfo, Vocabularies, taxonomies, vocabularies};

use files::raw;

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
}
