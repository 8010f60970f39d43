//! A record's locations as the listing's places. A place needs a UK postcode to be shown on
//! a map or searched by distance, so an address without one is reported rather than kept.

use serde_json::Value;

use crate::validate::formats;

use super::Mapper;
use super::feed::{items, text};
use super::terms::find_term;

impl Mapper<'_> {
    pub(super) fn places(&mut self, s: &Value) {
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
