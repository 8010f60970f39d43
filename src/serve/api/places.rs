//! `/service_at_locations`: each place of each service the filters keep, near a postcode
//! when one is given; and `/service_at_locations/{id}`: the service with that one place.

use serde_json::{Value, json};

use crate::export::oruk;
use crate::model::geo::LatLon;
use crate::search::SearchIndex;
use crate::search::near::{self, NearError};

use super::Api;
use super::params::Filters;

/// The fields of a service a list of places carries (the profile's
/// `service_at_location_list`).
const BRIEF: [&str; 4] = ["id", "name", "description", "status"];

/// A place found: its service's index, its index among the service's places, and how far
/// it is from the postcode asked about, if one was.
type Found = (usize, usize, Option<f64>);

/// An answer other than a list: a status and a JSON body.
type Answer = (u16, Value);

impl Api {
    /// With a `postcode`, only places on the map, nearest first, within `proximity` metres
    /// if given; else every place in the services' order.
    pub(super) fn places_list(&self, f: &Filters, index: &SearchIndex) -> Answer {
        let services = self.matching(f, index);
        let found: Vec<Found> = match &f.postcode {
            Some(typed) => match self.near(&services, typed, f.proximity) {
                Ok(found) => found,
                Err(answer) => return answer,
            },
            None => services
                .iter()
                .flat_map(|&i| (0..self.places[i].len()).map(move |p| (i, p, None)))
                .collect(),
        };
        let contents: Vec<Value> = f
            .paging
            .slice(&found)
            .map(|&(i, p, metres)| self.place_item(i, p, metres))
            .collect();
        let page = oruk::page_of(contents, found.len(), f.paging.page, f.paging.per_page);
        (200, json!(page))
    }

    /// The places of `services` near the postcode `typed`, with their distances, or the
    /// answer saying why there are none.
    fn near(
        &self,
        services: &[usize],
        typed: &str,
        within: Option<usize>,
    ) -> Result<Vec<Found>, Answer> {
        let from = match near::locate(self.postcodes.as_deref(), typed) {
            Ok(from) => from,
            Err(NearError::NoTable) => {
                let message = "this directory has no postcode table, so it cannot find places near a postcode";
                return Err((501, json!({ "error": message })));
            }
            Err(e) => return Err((400, json!({ "error": e.to_string() }))),
        };
        let places: Vec<Vec<Option<LatLon>>> =
            services.iter().map(|&i| self.places[i].clone()).collect();
        let within = within.map(|m| m as f64);
        Ok(near::places_within(&places, from, within)
            .into_iter()
            .map(|p| (services[p.service], p.place, Some(p.metres)))
            .collect())
    }

    /// A service at a location as the list answers it: the location in full, the service
    /// in brief, and the distance when one was asked about.
    fn place_item(&self, service: usize, place: usize, metres: Option<f64>) -> Value {
        let doc = self.services[service].doc();
        let brief = BRIEF
            .iter()
            .filter_map(|k| Some((k.to_string(), doc.get(*k)?.clone())))
            .collect();
        let mut item = doc["service_at_locations"][place].clone();
        if let Some(map) = item.as_object_mut() {
            map.insert("service".into(), Value::Object(brief));
            if let Some(m) = metres {
                map.insert("x_distance_metres".into(), json!(m.round() as u64));
            }
        }
        item
    }

    /// `/service_at_locations/{id}`: as HSDS 3.0's OpenAPI says, a service (its schema is
    /// `compiled/service.json`): the place's service in full, with the one place asked for.
    pub(super) fn place(&self, id: &str) -> Answer {
        let Some(&(service, place)) = self.by_place.get(id) else {
            let message = format!("there is no service at a location with id {id}");
            return (404, json!({ "error": message }));
        };
        let mut doc = self.services[service].doc().clone();
        let here = doc["service_at_locations"][place].take();
        if let Some(map) = doc.as_object_mut() {
            map.insert("service_at_locations".into(), Value::Array(vec![here]));
        }
        (200, doc)
    }
}
