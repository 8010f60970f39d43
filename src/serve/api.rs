//! The live Open Referral UK API of `dayopps serve`: `/api/services` answers text searches
//! from the tantivy index, with taxonomy, day and time filters and real pages.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::export::oruk;
use crate::memo::Memo;
use crate::model::Site;
use crate::model::geo::{LatLon, Postcodes};
use crate::search::near::{self, NearError};
use crate::search::{Query, SearchIndex};

/// Items on a page when the request does not say.
const DEFAULT_PER_PAGE: usize = 50;
const MAX_PER_PAGE: usize = 500;

pub struct Api {
    /// Full service documents, in listing (title) order.
    services: Vec<Arc<oruk::Service>>,
    /// Listing index by slug and by service id.
    by_slug: BTreeMap<String, usize>,
    by_id: BTreeMap<String, usize>,
    /// Each service's places (in the order of its `service_at_locations`) where they are.
    places: Vec<Vec<Option<LatLon>>>,
    postcodes: Option<Arc<Postcodes>>,
}

/// A request's filters, as the ORUK API names them.
#[derive(Debug, Default)]
struct Filters {
    text: String,
    page: usize,
    per_page: usize,
    term_ids: Vec<String>,
    day: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    /// `postcode` and `proximity` (metres), for service_at_locations.
    postcode: Option<String>,
    proximity: Option<usize>,
}

impl Filters {
    /// Whether a filter asks about days or times.
    fn on_schedules(&self) -> bool {
        self.day.is_some() || self.start_time.is_some() || self.end_time.is_some()
    }

    fn parse(query: &str) -> Result<Filters, String> {
        let mut f = Filters {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..Filters::default()
        };
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_string();
            match key.as_ref() {
                "text" | "search" => f.text = value,
                "page" => f.page = whole(&key, &value)?.max(1),
                "per_page" => f.per_page = whole(&key, &value)?.clamp(1, MAX_PER_PAGE),
                "taxonomy_term_id" => f
                    .term_ids
                    .extend(value.split(',').map(|s| s.trim().to_string())),
                "day" => {
                    f.day = Some(day_code(&value).ok_or_else(|| {
                        format!("`{value}` is not a day: use MO, TU, WE, TH, FR, SA or SU")
                    })?)
                }
                "start_time" => f.start_time = Some(clock(&key, &value)?),
                "end_time" => f.end_time = Some(clock(&key, &value)?),
                "postcode" => f.postcode = Some(value),
                "proximity" => f.proximity = Some(whole(&key, &value)?),
                _ => {}
            }
        }
        Ok(f)
    }
}

fn whole(key: &str, value: &str) -> Result<usize, String> {
    value
        .parse()
        .map_err(|_| format!("`{key}` should be a whole number, not `{value}`"))
}

/// `09:30` or `09:30:00` as the API writes times: `09:30:00`.
fn clock(key: &str, value: &str) -> Result<String, String> {
    let t = crate::model::Time::parse(value.get(..5).unwrap_or(value))
        .ok_or_else(|| format!("`{key}` should be a time such as 09:30, not `{value}`"))?;
    Ok(format!("{:02}:{:02}:00", t.0 / 60, t.0 % 60))
}

/// RFC 5545 day codes; `mon`, `monday` and `MO` all mean Monday.
fn day_code(value: &str) -> Option<String> {
    let v = value.to_lowercase();
    let day = crate::model::Day::ALL
        .into_iter()
        .find(|d| d.key() == v || d.name().to_lowercase() == v || d.key()[..2] == v)?;
    Some(day.key()[..2].to_uppercase())
}

impl Api {
    pub fn new(site: &Site, made: &Memo<Arc<oruk::Service>>) -> Api {
        let services = oruk::services(site, made);
        let by_slug = site
            .listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.slug.clone(), i))
            .collect();
        let by_id = site
            .listings
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.to_string(), i))
            .collect();
        let places = site
            .listings
            .iter()
            .map(|l| l.locations.iter().map(|p| p.lat_lon).collect())
            .collect();
        Api {
            services,
            by_slug,
            by_id,
            places,
            postcodes: site.postcodes.clone(),
        }
    }

    /// The answer to `GET /api/<rest>?<query>`: a status and a JSON body, or `None` when
    /// the path is not one the live API answers (the static files may).
    pub fn respond(&self, rest: &str, query: &str, index: &SearchIndex) -> Option<(u16, Value)> {
        let rest = rest.trim_end_matches('/');
        match rest {
            "" | "index.json" => Some((200, oruk::root())),
            "services" => Some(match Filters::parse(query) {
                Ok(f) => (200, self.list(&f, index)),
                Err(message) => (400, json!({ "error": message })),
            }),
            "service_at_locations" => Some(match Filters::parse(query) {
                Ok(f) => self.places_list(&f, index),
                Err(message) => (400, json!({ "error": message })),
            }),
            _ => {
                let id = rest.strip_prefix("services/")?.trim_end_matches(".json");
                Some(match self.by_id.get(id) {
                    Some(&i) => (200, self.services[i].doc().clone()),
                    None => (
                        404,
                        json!({ "error": format!("there is no service with id {id}") }),
                    ),
                })
            }
        }
    }

    fn list(&self, f: &Filters, index: &SearchIndex) -> Value {
        let matching: Vec<&oruk::Service> = self
            .matching(f, index)
            .into_iter()
            .map(|i| &*self.services[i])
            .collect();
        let contents = matching
            .iter()
            .skip((f.page - 1) * f.per_page)
            .take(f.per_page)
            .map(|s| s.list_item())
            .collect();
        json!(oruk::page_of(contents, matching.len(), f.page, f.per_page))
    }

    /// `/service_at_locations`: each place of each service the filters keep; with a
    /// `postcode`, only places on the map, nearest first, within `proximity` metres if given.
    fn places_list(&self, f: &Filters, index: &SearchIndex) -> (u16, Value) {
        let services = self.matching(f, index);
        let places: Vec<Vec<Option<LatLon>>> =
            services.iter().map(|&i| self.places[i].clone()).collect();
        let found: Vec<(usize, usize, Option<f64>)> = match &f.postcode {
            Some(typed) => {
                let from = match near::locate(self.postcodes.as_deref(), typed) {
                    Ok(from) => from,
                    Err(NearError::NoTable) => {
                        let message = "this directory has no postcode table, so it cannot find places near a postcode";
                        return (501, json!({ "error": message }));
                    }
                    Err(e) => return (400, json!({ "error": e.to_string() })),
                };
                let within = f.proximity.map(|m| m as f64);
                near::places_within(&places, from, within)
                    .into_iter()
                    .map(|p| (services[p.service], p.place, Some(p.metres)))
                    .collect()
            }
            None => services
                .iter()
                .flat_map(|&i| (0..self.places[i].len()).map(move |p| (i, p, None)))
                .collect(),
        };
        let contents: Vec<Value> = found
            .iter()
            .skip((f.page - 1) * f.per_page)
            .take(f.per_page)
            .map(|&(i, p, metres)| self.place_item(i, p, metres))
            .collect();
        (
            200,
            json!(oruk::page_of(contents, found.len(), f.page, f.per_page)),
        )
    }

    /// A service at a location as the list answers it: the location in full, the service
    /// in brief, and the distance when one was asked about.
    fn place_item(&self, service: usize, place: usize, metres: Option<f64>) -> Value {
        let doc = self.services[service].doc();
        let mut item = doc["service_at_locations"][place].clone();
        let brief: serde_json::Map<String, Value> = ["id", "name", "description", "status"]
            .iter()
            .filter_map(|k| Some((k.to_string(), doc.get(*k)?.clone())))
            .collect();
        if let Some(map) = item.as_object_mut() {
            map.insert("service".into(), Value::Object(brief));
            if let Some(m) = metres {
                map.insert("x_distance_metres".into(), json!(m.round() as u64));
            }
        }
        item
    }

    /// The services the filters keep, by index, best first for a text search, else in
    /// listing order.
    fn matching(&self, f: &Filters, index: &SearchIndex) -> Vec<usize> {
        let order: Vec<usize> = if f.text.is_empty() {
            (0..self.services.len()).collect()
        } else {
            let query = Query {
                text: f.text.clone(),
                filters: Vec::new(),
            };
            index
                .search(&query, self.services.len())
                .unwrap_or_default()
                .iter()
                .filter_map(|h| self.by_slug.get(&h.slug).copied())
                .collect()
        };
        let filtered = !f.term_ids.is_empty() || f.on_schedules();
        // In parallel: the first filtered request reads every service's document.
        order
            .into_par_iter()
            .filter(|&i| !filtered || keeps(self.services[i].facts(), f))
            .collect()
    }
}

/// Whether a service passes the taxonomy, day and time filters.
fn keeps(service: &oruk::Facts, f: &Filters) -> bool {
    if !f.term_ids.iter().all(|t| service.has_term(t)) {
        return false;
    }
    if !f.on_schedules() {
        return true;
    }
    service.schedules.iter().any(|s| {
        let on_day = f
            .day
            .as_ref()
            .is_none_or(|d| s.byday.split(',').any(|b| b == d));
        let starts = f
            .start_time
            .as_ref()
            .is_none_or(|t| s.opens_at.as_str() >= t.as_str());
        let ends = f
            .end_time
            .as_ref()
            .is_none_or(|t| !s.closes_at.is_empty() && s.closes_at.as_str() <= t.as_str());
        on_day && starts && ends
    })
}
