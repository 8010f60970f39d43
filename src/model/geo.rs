//! Places on the map: UK postcodes, the council's table of their coordinates, and distances.
//! Everything near-me (the browser's shards, `serve`, `dayopps search --near`, the live ORUK
//! API) measures with these, so the three give the same order.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// Latitude and longitude in degrees (WGS84, as the ONS Postcode Directory gives them).
pub type LatLon = (f64, f64);

/// The mean radius of the Earth, in metres (IUGG).
const EARTH_RADIUS_METRES: f64 = 6_371_008.8;

/// Metres in a statute mile.
pub const METRES_PER_MILE: f64 = 1_609.344;

/// A UK postcode in capitals with one space ("e105qx" becomes "E10 5QX"), or `None` when the
/// text is not shaped like one.
pub fn postcode(text: &str) -> Option<String> {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?([0-9][A-Z]{2})$").expect("a valid pattern")
    });
    let upper: String = text.trim().to_uppercase();
    let caps = SHAPE.captures(&upper)?;
    Some(format!("{} {}", &caps[1], &caps[2]))
}

/// A normalised postcode's sector ("E10 6QX" is in "E10 6"): the unit the browser fetches
/// the table in, a few hundred postcodes at most.
pub fn sector(postcode: &str) -> &str {
    postcode
        .get(..postcode.len().saturating_sub(2))
        .unwrap_or(postcode)
}

/// The great-circle distance between two points, in metres (haversine).
pub fn metres(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.1 - a.1).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_METRES * h.sqrt().min(1.0).asin()
}

/// The distance between two points in miles.
pub fn miles(a: LatLon, b: LatLon) -> f64 {
    metres(a, b) / METRES_PER_MILE
}

/// A distance as people say it, and as a screen reader reads it well: "0.3 miles",
/// "1 mile", "12 miles"; tenths below ten miles, whole miles above.
pub fn miles_text(miles: f64) -> String {
    let rounded = if miles < 10.0 {
        (miles * 10.0).round() / 10.0
    } else {
        miles.round()
    };
    if rounded < 0.1 {
        "less than 0.1 miles".into()
    } else if rounded == 1.0 {
        "1 mile".into()
    } else {
        format!("{rounded} miles")
    }
}

/// The council's postcode table: every postcode it knows, normalised, with its coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postcodes {
    table: BTreeMap<String, LatLon>,
}

impl Postcodes {
    /// The table from normalised postcodes (see [`postcode`]).
    pub fn new(table: BTreeMap<String, LatLon>) -> Postcodes {
        Postcodes { table }
    }

    /// Where a postcode is, written in any case and spacing.
    pub fn get(&self, text: &str) -> Option<LatLon> {
        self.table.get(&postcode(text)?).copied()
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// A postcode of the council's own area to show people as an example ("For example,
    /// E17 5QE"): the one in the middle of the table, so the same every build.
    pub fn example(&self) -> Option<&str> {
        self.table
            .keys()
            .nth(self.table.len() / 2)
            .map(String::as_str)
    }

    /// Every postcode and its place, in postcode order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, LatLon)> {
        self.table.iter().map(|(p, &at)| (p.as_str(), at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(postcode("e10 5qx").as_deref(), Some("E10 5QX"));
        assert_eq!(postcode(" EC1A1BB ").as_deref(), Some("EC1A 1BB"));
        assert_eq!(postcode("E10 5Q"), None);
        assert_eq!(postcode("12345"), None);
        assert_eq!(sector("E10 6QX"), "E10 6");
        assert_eq!(sector("EC1A 1BB"), "EC1A 1");
    }

    #[test]
    fn distances_agree_with_known_ones() {
        // London (51.5074, -0.1278) to Paris (48.8566, 2.3522): about 343.5 km.
        let d = metres((51.5074, -0.1278), (48.8566, 2.3522));
        assert!((d - 343_500.0).abs() < 1_000.0, "{d}");
        assert_eq!(metres((51.5, -0.1), (51.5, -0.1)), 0.0);
        // One degree of latitude is about 69 miles.
        let m = miles((51.0, 0.0), (52.0, 0.0));
        assert!((m - 69.1).abs() < 0.1, "{m}");
    }

    #[test]
    fn distances_read_well() {
        assert_eq!(miles_text(0.04), "less than 0.1 miles");
        assert_eq!(miles_text(0.26), "0.3 miles");
        assert_eq!(miles_text(0.98), "1 mile");
        assert_eq!(miles_text(1.24), "1.2 miles");
        assert_eq!(miles_text(12.4), "12 miles");
    }

    #[test]
    fn the_table_is_read_in_any_spacing() {
        let table = Postcodes::new(BTreeMap::from([("E10 6QX".to_string(), (51.57, -0.01))]));
        assert_eq!(table.get("e106qx"), Some((51.57, -0.01)));
        assert_eq!(table.get("E10 6QY"), None);
        assert_eq!(table.get("nonsense"), None);
    }
}
