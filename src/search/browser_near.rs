//! The browser's near-me files, made only when the site has a postcode table: the table in
//! shards by postcode sector, so a person's postcode is looked up without leaving their
//! browser; and each service's places, in tiles of a grid fetched nearest first, so a
//! near-me search costs a few kilobytes however large the directory. The format is in
//! docs/search.md.
//!
//! Why tiles rather than one list of places: at 10,000 services the list is about 100 KB
//! gzipped, ten times the budget of a near-me search. A tile holds at most `TILE_BYTES`, and
//! the browser reads tiles in the order of their distance from the point until the first
//! page's order is certain (no unread tile can hold a nearer place). A small directory fits
//! in one tile, one request.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::model::geo::{self, LatLon, Postcodes};
use crate::model::{Listing, Site};

use super::IndexFiles;
use super::near::{self, Distance};

/// Where the near-me files go in the output.
const POSTCODES_DIR: &str = "search/postcodes/";
const PLACES_DIR: &str = "search/places/";

/// A tile of places holds at most this many bytes of JSON (about 80 places, under 1 KB
/// gzipped), unless a single grid cell at the finest size holds more.
const TILE_BYTES: usize = 2 * 1024;

/// Grid cells tried, in degrees, largest first: the largest whose tiles all fit is used.
const CELLS: [f64; 9] = [0.64, 0.32, 0.16, 0.08, 0.04, 0.02, 0.01, 0.005, 0.0025];

/// Whether `path` is one of the near-me files.
pub fn is_near_file(path: &str) -> bool {
    path.starts_with(POSTCODES_DIR) || path.starts_with(PLACES_DIR)
}

/// A service's places on the map: (index among its locations, where). Validation gives a
/// place its postcode's coordinates when it has none of its own, so these are the places
/// `search::near` measures from.
fn places(listing: &Listing) -> Vec<(usize, LatLon)> {
    listing
        .locations
        .iter()
        .enumerate()
        .filter_map(|(k, l)| Some((k, l.lat_lon?)))
        .collect()
}

/// What a result shows of a service's places: the name of each location (its address when
/// it has none), which the tiles point into; or, for a service with no place, why, in
/// `search::near`'s words.
pub fn record_fields(listing: &Listing) -> Value {
    // The point does not matter: with no place on the map, every point gives the reason.
    if let Distance::Nowhere(why) = near::distance(listing, (0.0, 0.0)) {
        return json!({ "w": why.text() });
    }
    let names: Vec<&str> = listing.locations.iter().map(near::place_name).collect();
    json!({ "p": names })
}

/// The near-me part of meta.json and the near-me files, or nothing when the site has no
/// postcode table.
pub fn near_files(site: &Site) -> Option<(Value, IndexFiles)> {
    let postcodes = site.postcodes.as_deref()?;
    let mut files = postcode_shards(postcodes);
    let placed: Vec<(usize, usize, LatLon)> = site
        .listings
        .iter()
        .enumerate()
        .flat_map(|(doc, l)| places(l).into_iter().map(move |(k, at)| (doc, k, at)))
        .collect();
    let placeless: Vec<usize> = site
        .listings
        .iter()
        .enumerate()
        .filter(|(_, l)| places(l).is_empty())
        .map(|(doc, _)| doc)
        .collect();
    let none = super::browser::encode_set(&placeless, site.listings.len());
    let meta = match tiles(&placed) {
        Tiles::One(json) => {
            files.push((format!("{PLACES_DIR}all.json"), json));
            json!({ "cell": null, "none": none, "example": postcodes.example() })
        }
        Tiles::Grid(cell, grid) => {
            let keys: Vec<[i64; 2]> = grid.keys().copied().collect();
            for ([row, col], json) in grid {
                files.push((format!("{PLACES_DIR}{row}_{col}.json"), json));
            }
            json!({ "cell": cell, "tiles": keys, "none": none, "example": postcodes.example() })
        }
    };
    Some((meta, files))
}

/// The table by sector: `E10-6.json` holds `{"E10 6QX":[51.571234,-0.012341],…}`.
fn postcode_shards(postcodes: &Postcodes) -> IndexFiles {
    let mut shards: BTreeMap<&str, String> = BTreeMap::new();
    for (postcode, at) in postcodes.iter() {
        let shard = shards.entry(geo::sector(postcode)).or_default();
        shard.push(if shard.is_empty() { '{' } else { ',' });
        // Writing into a String cannot fail.
        let _ = write!(shard, "\"{postcode}\":[{},{}]", coord(at.0), coord(at.1));
    }
    shards
        .into_iter()
        .map(|(sector, mut json)| {
            json.push('}');
            let name = sector.replace(' ', "-");
            (format!("{POSTCODES_DIR}{name}.json"), json.into_bytes())
        })
        .collect()
}

/// A coordinate as given (the table's and listings' have 4 to 6 decimals), in the shortest
/// form that reads back as the same number: rounding it would make the browser measure from
/// another point than `search::near` does, and order near-equal distances differently.
fn coord(x: f64) -> String {
    if x == 0.0 { "0".into() } else { x.to_string() }
}

enum Tiles {
    One(Vec<u8>),
    /// The cell size in degrees, and each tile's JSON by [row, column].
    Grid(f64, BTreeMap<[i64; 2], Vec<u8>>),
}

/// All places in one tile when they fit, else on the coarsest grid whose tiles all fit (the
/// finest when none does).
fn tiles(placed: &[(usize, usize, LatLon)]) -> Tiles {
    let all = tile_json(placed.iter());
    if all.len() <= TILE_BYTES {
        return Tiles::One(all);
    }
    let mut grid = BTreeMap::new();
    let mut cell = CELLS[0];
    for size in CELLS {
        cell = size;
        grid = grid_of(placed, size);
        if grid.values().all(|t: &Vec<u8>| t.len() <= TILE_BYTES) {
            break;
        }
    }
    Tiles::Grid(cell, grid)
}

fn grid_of(placed: &[(usize, usize, LatLon)], cell: f64) -> BTreeMap<[i64; 2], Vec<u8>> {
    let mut cells: BTreeMap<[i64; 2], Vec<&(usize, usize, LatLon)>> = BTreeMap::new();
    for p in placed {
        cells.entry(cell_of(p.2, cell)).or_default().push(p);
    }
    cells
        .into_iter()
        .map(|(key, members)| (key, tile_json(members.into_iter())))
        .collect()
}

/// The grid cell a point is in: its row counts `cell` degrees of latitude, its column of
/// longitude. The browser reads cells' bounds the same way, from the same coordinates.
fn cell_of(at: LatLon, cell: f64) -> [i64; 2] {
    // A latitude or longitude over a cell of 0.0025 degrees or more is far inside i64.
    [(at.0 / cell).floor() as i64, (at.1 / cell).floor() as i64]
}

/// `[[doc, lat, lon, k], …]`, in doc order: `k` is the place's index among the service's
/// locations (its name in the record's `p`).
fn tile_json<'a>(places: impl Iterator<Item = &'a (usize, usize, LatLon)>) -> Vec<u8> {
    let mut out = String::from("[");
    for (i, (doc, k, at)) in places.enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing into a String cannot fail.
        let _ = write!(out, "[{doc},{},{},{k}]", coord(at.0), coord(at.1));
    }
    out.push(']');
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_exactly_and_no_longer() {
        assert_eq!(coord(51.571234), "51.571234");
        assert_eq!(coord(-0.0123456), "-0.0123456");
        assert_eq!(coord(51.5), "51.5");
        assert_eq!(coord(-0.0), "0");
        assert_eq!(coord(2.0), "2");
    }

    #[test]
    fn the_table_is_sharded_by_sector() {
        let table = Postcodes::new(BTreeMap::from([
            ("E10 6QX".to_string(), (51.571234, -0.012341)),
            ("E10 6QY".to_string(), (51.5712, -0.0124)),
            ("E10 7AA".to_string(), (51.56, -0.01)),
        ]));
        let shards = postcode_shards(&table);
        let text: Vec<(&str, &str)> = shards
            .iter()
            .map(|(p, j)| (p.as_str(), std::str::from_utf8(j).unwrap_or("")))
            .collect();
        assert_eq!(
            text,
            [
                (
                    "search/postcodes/E10-6.json",
                    r#"{"E10 6QX":[51.571234,-0.012341],"E10 6QY":[51.5712,-0.0124]}"#
                ),
                (
                    "search/postcodes/E10-7.json",
                    r#"{"E10 7AA":[51.56,-0.01]}"#
                ),
            ]
        );
    }

    #[test]
    fn few_places_make_one_tile_and_many_a_grid_of_small_tiles() {
        let few = vec![(0, 0, (51.5, -0.1)), (1, 1, (51.6, 0.05))];
        let Tiles::One(json) = tiles(&few) else {
            panic!("two places should make one tile");
        };
        assert_eq!(json, b"[[0,51.5,-0.1,0],[1,51.6,0.05,1]]");

        // 4,000 places over 0.4 by 0.4 degrees, spread evenly.
        let many: Vec<_> = (0..4000)
            .map(|i| {
                (
                    i,
                    0,
                    (
                        51.4 + (i % 63) as f64 * 0.0063,
                        -0.2 + (i / 63) as f64 * 0.0063,
                    ),
                )
            })
            .collect();
        let Tiles::Grid(cell, grid) = tiles(&many) else {
            panic!("4,000 places should make a grid");
        };
        assert!(grid.values().all(|t| t.len() <= TILE_BYTES));
        assert!(cell < 0.16 && grid.len() > 20, "{cell} {}", grid.len());
        let total: usize = grid
            .values()
            .map(|t| serde_json::from_slice::<Vec<Value>>(t).map_or(0, |v| v.len()))
            .sum();
        assert_eq!(total, 4000, "every place is in exactly one tile");
        // A tile holds the places of its own cell.
        for (&[row, col], t) in &grid {
            let places: Vec<(f64, f64)> =
                serde_json::from_slice::<Vec<(usize, f64, f64, usize)>>(t)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| (p.1, p.2))
                    .collect();
            assert!(places.iter().all(|&at| cell_of(at, cell) == [row, col]));
        }
    }
}
