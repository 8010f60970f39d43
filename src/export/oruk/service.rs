//! Each service's document, made once and kept as the bytes the static API writes, so the
//! next build can reuse it unchanged; and what `dayopps serve`'s live API reads back from it.

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::memo::{Key, Memo};
use crate::model::{Listing, Site};

use super::Cx;
use super::at_location::{Place, places};
use super::files::{raw, shared_bytes};

/// A service's document, and what the static API writes of it.
pub struct Service {
    /// The document as `api/services/<id>.json` holds it.
    pub(super) file: Arc<[u8]>,
    /// Its fields in a list of services, as JSON text.
    pub(super) item: Box<RawValue>,
    /// Its places, as `/service_at_locations` lists them and answers them by id.
    pub(super) places: Vec<Place>,
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
    /// The ages a service is for, where its document says (a listing never does).
    #[serde(default)]
    pub minimum_age: Option<f64>,
    #[serde(default)]
    pub maximum_age: Option<f64>,
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

    /// The ids of the taxonomy terms the service links.
    pub fn term_ids(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().map(|a| a.taxonomy_term_id.as_str())
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

impl<'a> Cx<'a> {
    /// A service's document is made of its listing and the titles of its provider's services.
    pub(super) fn service_reusing(&self, l: &Listing, made: &Memo<Arc<Service>>) -> Arc<Service> {
        let key = || {
            Key::new("oruk service")
                .part(&l.stamp)
                .part(&self.runs.get(l.provider.as_str()))
                .finish()
        };
        made.get(key, || {
            let doc = self.service(l);
            let file = shared_bytes(&doc);
            Arc::new(Service {
                places: places(&file),
                file,
                item: raw(&doc.list_item()),
                doc: std::sync::OnceLock::new(),
                facts: std::sync::OnceLock::new(),
            })
        })
    }
}
