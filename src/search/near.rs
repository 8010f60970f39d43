//! Near a postcode: every service in order of the distance to the nearest of its places.
//! The one ordering `dayopps search --near`, `serve`'s pages and the live ORUK API use, so
//! the three agree (and agree with the browser, which mirrors it).

use serde::Serialize;

use crate::model::geo::{self, LatLon, Postcodes};
use crate::model::{Listing, Location};

/// How far a service is from the point asked about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distance<'a> {
    /// Its nearest place and how far that is, in metres.
    At { place: &'a Location, metres: f64 },
    /// It has no place on the map, and why.
    Nowhere(NoPlace),
}

/// Why a service has no distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoPlace {
    /// Given online only.
    Online,
    /// Given in people's homes only.
    AtHome,
    /// Online, or in people's homes.
    OnlineOrAtHome,
    /// It has places, but none of them is on the map (their postcodes are not in the table).
    NotKnown,
}

impl NoPlace {
    /// What a result shows instead of a distance.
    pub fn text(self) -> &'static str {
        match self {
            NoPlace::Online => "Online",
            NoPlace::AtHome => "At home",
            NoPlace::OnlineOrAtHome => "Online or at home",
            NoPlace::NotKnown => "Distance not known",
        }
    }
}

impl Distance<'_> {
    pub fn miles(&self) -> Option<f64> {
        match self {
            Distance::At { metres, .. } => Some(metres / geo::METRES_PER_MILE),
            Distance::Nowhere(_) => None,
        }
    }

    /// What a result shows: "1.2 miles, Riverside Hub", or why there is no distance.
    pub fn text(&self) -> String {
        match self {
            Distance::At { place, metres } => format!(
                "{}, {}",
                geo::miles_text(metres / geo::METRES_PER_MILE),
                place_name(place)
            ),
            Distance::Nowhere(why) => why.text().to_string(),
        }
    }
}

/// A place as a result names it: its name, or else its address.
pub fn place_name(place: &Location) -> &str {
    place.name.as_deref().unwrap_or(&place.address)
}

/// A postcode someone typed that cannot be used, and what to tell them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NearError {
    #[error("enter a full postcode, such as E10 6QX")]
    Empty,
    #[error("“{0}” is not a postcode: enter a full postcode, such as E10 6QX")]
    Malformed(String),
    #[error("{0} is not a postcode we know: check it, or try a postcode nearby")]
    Unknown(String),
    #[error("this site has no postcode table, so services cannot be sorted by distance")]
    NoTable,
}

/// Where a postcode someone typed is.
pub fn locate(table: Option<&Postcodes>, typed: &str) -> Result<LatLon, NearError> {
    let table = table.ok_or(NearError::NoTable)?;
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(NearError::Empty);
    }
    let Some(postcode) = geo::postcode(typed) else {
        let shown: String = typed.chars().take(20).collect();
        return Err(NearError::Malformed(shown));
    };
    table.get(&postcode).ok_or(NearError::Unknown(postcode))
}

/// The nearest place of a listing to `from`, or why it has none.
pub fn distance(listing: &Listing, from: LatLon) -> Distance<'_> {
    let nearest = listing
        .locations
        .iter()
        .filter_map(|l| Some((l, geo::metres(from, l.lat_lon?))))
        // The first of equally near places, so that the answer never depends on anything
        // but the listing.
        .fold(None::<(&Location, f64)>, |best, (l, m)| match best {
            Some((_, b)) if b <= m => best,
            _ => Some((l, m)),
        });
    match nearest {
        Some((place, metres)) => Distance::At { place, metres },
        None => Distance::Nowhere(why_nowhere(listing)),
    }
}

fn why_nowhere(listing: &Listing) -> NoPlace {
    let has = |t: &str| listing.service_types.iter().any(|s| s == t);
    if !listing.locations.is_empty() {
        return NoPlace::NotKnown;
    }
    match (has("virtual"), has("support-at-home")) {
        (true, false) => NoPlace::Online,
        (false, true) => NoPlace::AtHome,
        (true, true) => NoPlace::OnlineOrAtHome,
        (false, false) => NoPlace::NotKnown,
    }
}

/// `listings` nearest first, each with its distance; equally near ones, and those with no
/// place (which come last), keep the order they were given in.
pub fn order<'a>(
    listings: impl IntoIterator<Item = &'a Listing>,
    from: LatLon,
) -> Vec<(&'a Listing, Distance<'a>)> {
    let mut out: Vec<_> = listings
        .into_iter()
        .map(|l| (l, distance(l, from)))
        .collect();
    out.sort_by(|a, b| {
        let (a, b) = (a.1.miles(), b.1.miles());
        match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    out
}
