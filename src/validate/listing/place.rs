//! Where: the area a listing serves and the places it runs at, with their postcodes and
//! coordinates.

use serde_yaml::Value;

use crate::model::Location;
use crate::model::geo::{self, LatLon, Postcodes};
use crate::validate::formats;
use crate::validate::reader::{Doc, Fields};
use crate::validate::suggest::did_you_mean;

use super::{Context, HINT};

/// Given coordinates further than this from their postcode's are taken to be a mistake.
pub const MAX_MILES_FROM_POSTCODE: f64 = 3.0;

/// Service types that need no place to go to.
const NO_LOCATION_TYPES: [&str; 2] = ["virtual", "support-at-home"];

pub struct Place {
    pub area: Option<String>,
    pub locations: Option<Vec<Location>>,
}

/// The area, then the places, which a service that needs no place to go to can leave out.
pub fn read(doc: &mut Doc, at: Fields, service_types: &[String], cx: &Context) -> Place {
    Place {
        area: area(doc, at, cx),
        locations: locations(doc, at, service_types, cx),
    }
}

fn area(doc: &mut Doc, at: Fields, cx: &Context) -> Option<String> {
    let area = doc.required_text(at, "area", "area: leyton")?;
    let areas = &cx.config.vocabularies.areas;
    if areas.get(&area).is_none() {
        doc.error(
            "area",
            format!("`{area}` is not one of the `areas` in site.yaml"),
            did_you_mean(&area, areas.keys()),
        );
        return None;
    }
    Some(area)
}

fn locations(
    doc: &mut Doc,
    at: Fields,
    service_types: &[String],
    cx: &Context,
) -> Option<Vec<Location>> {
    let example =
        "locations: [{ name: Riverside Hub, address: 12 Example Road, postcode: E10 5QX }]";
    let items = doc.records(at, "locations", example);
    let needs_place = service_types.is_empty()
        || service_types
            .iter()
            .any(|t| !NO_LOCATION_TYPES.contains(&t.as_str()));
    if items.is_empty() && needs_place {
        if at.get("locations").is_none() {
            doc.missing(at, "locations", example);
        } else {
            doc.error("locations", "`locations` is empty", "add the place where the service runs; only services that are all `virtual` or `support-at-home` can leave it out");
        }
        return None;
    }
    let out = items
        .into_iter()
        .filter_map(|(path, item)| location(doc, &path, item, cx))
        .collect();
    Some(out)
}

/// One place, or `None` when it is not a mapping or lacks a usable address or postcode.
fn location(doc: &mut Doc, path: &str, item: &Value, cx: &Context) -> Option<Location> {
    let l = doc.mapping(
        item,
        path,
        "- { name: Riverside Hub, address: 12 Example Road, postcode: E10 5QX }",
    )?;
    doc.unknown_fields(
        l,
        &["name", "address", "postcode", "lat", "lon", "accessibility"],
        HINT,
    );
    let address = doc.required_text(l, "address", "address: 12 Example Road, London");
    let postcode = postcode(doc, l);
    let lat_lon = lat_lon(doc, l);
    let accessibility = doc.terms(
        l,
        "accessibility",
        &cx.config.vocabularies.accessibility,
        "accessibility: [step-free]",
    );
    let (address, postcode) = address.zip(postcode)?;
    let lat_lon = match cx.postcodes {
        Some(table) => placed(doc, l, &postcode, lat_lon, table),
        None => lat_lon,
    };
    Some(Location {
        name: doc.text(l, "name", "name: Riverside Hub"),
        address,
        postcode,
        lat_lon,
        accessibility,
    })
}

fn postcode(doc: &mut Doc, l: Fields) -> Option<String> {
    let p = doc.required_text(l, "postcode", "postcode: E10 5QX")?;
    let ok = formats::postcode(&p);
    if ok.is_none() {
        doc.error(
            &l.path_of("postcode"),
            format!("`{p}` is not a UK postcode"),
            "write the full postcode, such as `E10 5QX`",
        );
    }
    ok
}

fn lat_lon(doc: &mut Doc, l: Fields) -> Option<(f64, f64)> {
    let mut coord = |key: &str, limit: f64| -> Option<f64> {
        let value = l.get(key)?;
        match value.as_f64() {
            Some(x) if x.abs() <= limit => Some(x),
            _ => {
                doc.error(
                    &l.path_of(key),
                    format!("`{key}` should be a number between -{limit} and {limit}"),
                    format!(
                        "for example: `{key}: {}`",
                        if key == "lat" { "51.5612" } else { "-0.0105" }
                    ),
                );
                None
            }
        }
    };
    let (lat, lon) = (coord("lat", 90.0), coord("lon", 180.0));
    match (l.get("lat").is_some(), l.get("lon").is_some()) {
        (true, false) | (false, true) => {
            let path = l.path_of(if l.get("lat").is_some() { "lat" } else { "lon" });
            doc.error(
                &path,
                "give both `lat` and `lon`, or neither",
                "add the missing one, or remove this one",
            );
            None
        }
        _ => lat.zip(lon),
    }
}

/// A place's coordinates: those given, checked against the postcode table, or else the
/// table's for its postcode.
fn placed(
    doc: &mut Doc,
    l: Fields,
    postcode: &str,
    given: Option<LatLon>,
    (table_name, table): (&str, &Postcodes),
) -> Option<LatLon> {
    let Some(known) = table.get(postcode) else {
        let help = if given.is_some() {
            format!("check the postcode; if it is right, add it to {table_name}")
        } else {
            format!(
                "check the postcode; if it is right, add it to {table_name}, or give `lat` and `lon`: until then this place is left out of distances"
            )
        };
        doc.warning(
            &l.path_of("postcode"),
            format!("{postcode} is not in the postcode table"),
            help,
        );
        return given;
    };
    let Some(given) = given else {
        return Some(known);
    };
    let apart = geo::miles(given, known);
    if apart > MAX_MILES_FROM_POSTCODE {
        doc.warning(
            &l.path_of("lat"),
            format!(
                "`lat` and `lon` are {} from {postcode}, which {table_name} puts at {}, {}",
                geo::miles_text(apart),
                known.0,
                known.1
            ),
            "check both: one of them is wrong (in Great Britain `lat` is between 49 and 61 and `lon` between -8 and 2); or remove `lat` and `lon` to use the postcode's",
        );
    }
    Some(given)
}
