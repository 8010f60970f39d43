//! `/service_at_locations` as static files, made from each service's written document: the
//! list's items (the place in full and its service in brief, the profile's
//! `service_at_location_list`), and `/service_at_locations/{id}`, which HSDS 3.0's OpenAPI
//! answers with a service (`compiled/service.json`): the place's service with that one place.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::files::{bytes, raw};

/// The fields of a service a list of places carries.
pub const BRIEF: [&str; 4] = ["id", "name", "description", "status"];

/// What a service's places need of its document, borrowed from its text: reading only these
/// keeps the cost of a place per service small at 10,000 services.
#[derive(Deserialize)]
struct Parts<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    name: Option<&'a RawValue>,
    #[serde(borrow)]
    description: Option<&'a RawValue>,
    #[serde(borrow)]
    status: Option<&'a RawValue>,
    #[serde(borrow, default)]
    service_at_locations: Vec<&'a RawValue>,
}

/// One place of a service: its id, its item in the list (as JSON text), and its file by id.
pub struct Place {
    pub id: String,
    pub item: Box<RawValue>,
    pub file: Arc<[u8]>,
}

/// The places of the service whose document is `file`, in its order. Made with the service
/// and kept with it, so a rebuild in `serve` reads no document again.
pub fn places(file: &Arc<[u8]>) -> Vec<Place> {
    let Ok(parts) = serde_json::from_slice::<Parts>(file) else {
        return Vec::new();
    };
    let brief: Map<String, Value> = BRIEF
        .iter()
        .zip([parts.id, parts.name, parts.description, parts.status])
        .filter_map(|(key, raw)| Some((key.to_string(), value(raw?)?)))
        .collect();
    let count = parts.service_at_locations.len();
    parts
        .service_at_locations
        .iter()
        .enumerate()
        .filter_map(|(i, place)| {
            let mut item = value(place)?;
            let id = item["id"].as_str()?.to_string();
            let file = if count == 1 {
                // The service with its only place is the service's own document.
                file.clone()
            } else {
                Arc::from(only_place(file, i)?)
            };
            item.as_object_mut()?
                .insert("service".into(), Value::Object(brief.clone()));
            Some(Place {
                id,
                item: raw(&item),
                file,
            })
        })
        .collect()
}

/// The document of a service at several places, keeping only place `i`.
fn only_place(file: &[u8], i: usize) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(file).ok()?;
    let here = doc["service_at_locations"].get_mut(i)?.take();
    doc.as_object_mut()?
        .insert("service_at_locations".into(), Value::Array(vec![here]));
    Some(bytes(&doc))
}

fn value(raw: &RawValue) -> Option<Value> {
    serde_json::from_str(raw.get()).ok()
}
