//! What "near a postcode" should answer for the demo, worked out here from the listing files
//! and data/postcodes.csv alone, with a distance formula of the test's own, so that the
//! crate's answers are checked against something it did not compute.

use std::collections::BTreeMap;
use std::fs;

use serde_yaml::Value;

use super::{demo_listings, repo};

/// One service as near-me should list it.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub slug: String,
    pub title: String,
    /// The nearest place's miles and name, or `None` for a service with no place on the map.
    pub nearest: Option<(f64, String)>,
    /// What a service with no place on the map says instead.
    pub why: &'static str,
}

/// The demo's table: postcode to (latitude, longitude).
pub fn demo_table() -> BTreeMap<String, (f64, f64)> {
    let text = fs::read_to_string(repo().join("data/postcodes.csv")).expect("the demo's table");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(h))
            .expect("a column")
    };
    let (p, lat, lon) = (
        col(&["pcds", "postcode"]),
        col(&["lat", "latitude"]),
        col(&["long", "lon", "longitude"]),
    );
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let n = |i: usize| cells[i].parse::<f64>().expect("a number");
            (cells[p].to_string(), (n(lat), n(lon)))
        })
        .collect()
}

/// Miles between two points: the spherical law of cosines, not the crate's haversine.
pub fn miles(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dl = (b.1 - a.1).to_radians();
    let cos = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos();
    // The IUGG mean radius in miles.
    3_958.761_3 * cos.clamp(-1.0, 1.0).acos()
}

/// The demo's services nearest first to `postcode` (which must be in the table); equally
/// near ones, and those with no place, in A to Z order of title.
pub fn expected(postcode: &str) -> Vec<Expected> {
    let table = demo_table();
    let from = table[postcode];
    let mut out: Vec<Expected> = demo_listings()
        .into_iter()
        .map(|(slug, l)| {
            let nearest = places(&l, &table)
                .into_iter()
                .map(|(name, at)| (miles(from, at), name))
                .fold(None::<(f64, String)>, |best, (m, name)| match best {
                    Some((b, _)) if b <= m => best,
                    _ => Some((m, name)),
                });
            Expected {
                slug,
                title: l["title"].as_str().expect("a title").to_string(),
                why: why(&l),
                nearest,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let at = |e: &Expected| e.nearest.as_ref().map_or(f64::INFINITY, |n| n.0);
        // Distances this close are the same place: order them by title, as the site does.
        let (x, y) = (at(a), at(b));
        if (x - y).abs() < 1e-9 || (x.is_infinite() && y.is_infinite()) {
            a_to_z(&a.title).cmp(&a_to_z(&b.title))
        } else {
            x.total_cmp(&y)
        }
    });
    out
}

/// Why a service has no place: it is given online, at home, or both.
fn why(l: &Value) -> &'static str {
    let types = super::strings(l.get("service_types"));
    let has = |t: &str| types.iter().any(|x| x == t);
    match (has("virtual"), has("support-at-home")) {
        (true, true) => "Online or at home",
        (true, false) => "Online",
        (false, true) => "At home",
        (false, false) => "Distance not known",
    }
}

fn a_to_z(title: &str) -> String {
    let lower = title.to_lowercase();
    lower.strip_prefix("the ").unwrap_or(&lower).to_string()
}

/// A listing's places with coordinates: its own lat/lon, else its postcode's in the table.
fn places(l: &Value, table: &BTreeMap<String, (f64, f64)>) -> Vec<(String, (f64, f64))> {
    let Some(locations) = l.get("locations").and_then(Value::as_sequence) else {
        return Vec::new();
    };
    locations
        .iter()
        .filter_map(|loc| {
            let name = loc
                .get("name")
                .or_else(|| loc.get("address"))
                .and_then(Value::as_str)?
                .to_string();
            let own = loc
                .get("lat")
                .and_then(Value::as_f64)
                .zip(loc.get("lon").and_then(Value::as_f64));
            let postcode = loc.get("postcode").and_then(Value::as_str)?.to_uppercase();
            Some((name, own.or_else(|| table.get(&postcode).copied())?))
        })
        .collect()
}

/// "1.2 miles" as the site writes it: tenths under ten miles, whole miles above.
pub fn miles_text(m: f64) -> String {
    let shown = if m < 10.0 {
        format!("{:.1}", m)
    } else {
        format!("{:.0}", m)
    };
    match shown.as_str() {
        "0.0" => "less than 0.1 miles".into(),
        "1.0" => "1 mile".into(),
        s => format!("{} miles", s.trim_end_matches(".0")),
    }
}
