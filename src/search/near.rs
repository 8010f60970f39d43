//! Near a postcode: every service in order of the distance to the nearest of its places.
//! The one ordering `dayopps search --near`, `serve`'s pages and the live ORUK API use, so
//! the three agree (and agree with the browser, which mirrors it).

use serde::Serialize;
use std::sync::Arc;

use crate::model::geo::{self, LatLon, Postcodes};
use crate::model::{Listing, Location, Site};

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
    #[error("enter a full postcode, such as {example}")]
    Empty { example: String },
    #[error("“{typed}” is not a postcode: enter a full postcode, such as {example}")]
    Malformed { typed: String, example: String },
    #[error("{0} is not a postcode we know: check it, or try a postcode nearby")]
    Unknown(String),
    #[error("this site has no postcode table, so services cannot be sorted by distance")]
    NoTable,
}

/// Where a postcode someone typed is.
pub fn locate(table: Option<&Postcodes>, typed: &str) -> Result<LatLon, NearError> {
    let table = table.ok_or(NearError::NoTable)?;
    let example = || table.example().unwrap_or_default().to_string();
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(NearError::Empty { example: example() });
    }
    let Some(postcode) = geo::postcode(typed) else {
        let typed: String = typed.chars().take(20).collect();
        return Err(NearError::Malformed {
            typed,
            example: example(),
        });
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

/// The listings with these slugs (a search's results) in the site's usual order, which is
/// the order equally near services keep: relevance says nothing about distance.
pub fn in_site_order<'a>(site: &'a Site, slugs: &[&str]) -> Vec<&'a Listing> {
    let wanted: std::collections::HashSet<&str> = slugs.iter().copied().collect();
    site.listings
        .iter()
        .filter(|l| wanted.contains(l.slug.as_str()))
        .map(Arc::as_ref)
        .collect()
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

/// One place of one service, and how far it is: what a service-at-location search answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceNear {
    /// The service's position in the list given.
    pub service: usize,
    /// The place's position among the service's locations.
    pub place: usize,
    pub metres: f64,
}

/// Every place of the services given (by their places' coordinates, `None` where a place is
/// not on the map) within `within` metres of `from`, or all of them with no limit, nearest
/// first; equally near ones in the order given.
pub fn places_within(
    services: &[Vec<Option<LatLon>>],
    from: LatLon,
    within: Option<f64>,
) -> Vec<PlaceNear> {
    let mut out: Vec<PlaceNear> = services
        .iter()
        .enumerate()
        .flat_map(|(service, places)| {
            places.iter().enumerate().filter_map(move |(place, at)| {
                let metres = geo::metres(from, (*at)?);
                Some(PlaceNear {
                    service,
                    place,
                    metres,
                })
            })
        })
        .filter(|p| within.is_none_or(|w| p.metres <= w))
        .collect();
    out.sort_by(|a, b| a.metres.total_cmp(&b.metres));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn table() -> Postcodes {
        Postcodes::new(BTreeMap::from([(
            "E10 6QX".to_string(),
            (51.5648, -0.0179),
        )]))
    }

    #[test]
    fn typed_postcodes_are_located_or_explained() {
        let t = table();
        assert_eq!(locate(Some(&t), " e106qx "), Ok((51.5648, -0.0179)));
        let example = "E10 6QX".to_string();
        assert_eq!(
            locate(Some(&t), ""),
            Err(NearError::Empty {
                example: example.clone()
            })
        );
        assert_eq!(
            locate(Some(&t), "<script>"),
            Err(NearError::Malformed {
                typed: "<script>".into(),
                example
            })
        );
        assert_eq!(
            locate(Some(&t), "E10 6QY"),
            Err(NearError::Unknown("E10 6QY".into()))
        );
        assert_eq!(locate(None, "E10 6QX"), Err(NearError::NoTable));
    }

    #[test]
    fn places_are_nearest_first_within_the_limit() {
        let from = (51.5, 0.0);
        let services = vec![
            vec![Some((51.52, 0.0)), None],
            vec![Some((51.51, 0.0)), Some((51.6, 0.0))],
            vec![],
        ];
        let found: Vec<(usize, usize)> = places_within(&services, from, Some(3_000.0))
            .iter()
            .map(|p| (p.service, p.place))
            .collect();
        assert_eq!(found, vec![(1, 0), (0, 0)]);
        assert_eq!(places_within(&services, from, None).len(), 3);
    }
}
