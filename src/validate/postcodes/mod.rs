//! The council's postcode table: a CSV of postcodes and their coordinates, such as a cut of
//! the ONS Postcode Directory, into `Postcodes`, with every bad row reported where it is.

mod cells;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::model::geo::{self, LatLon, Postcodes};

use cells::{Cell, Row};

/// After this many bad rows the rest are counted, not listed: a file in the wrong format
/// would otherwise print a problem for every one of its 100,000 rows.
const MAX_PROBLEMS: usize = 50;

/// The names each column may have in the header row (ONSPD's first), in any case.
const POSTCODE: [&str; 3] = ["pcds", "postcode", "pcd"];
const LATITUDE: [&str; 2] = ["latitude", "lat"];
const LONGITUDE: [&str; 3] = ["longitude", "long", "lon"];

/// The ONSPD's latitude for a postcode it has no place for (with longitude 0).
const ONSPD_NO_PLACE: f64 = 99.999999;

/// The table, or `None` when any row is wrong (every problem is in `diags`).
pub fn table(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Postcodes> {
    let mut rows = cells::rows(&file.text);
    let Some(header) = rows.next() else {
        diags.push(
            Diagnostic::error(file, 0..0, "the postcode table is empty").with_help(HEADER_HELP),
        );
        return None;
    };
    let columns = columns(file, &header, diags)?;
    let mut reader = Reader {
        file,
        columns,
        found: BTreeMap::new(),
        problems: 0,
        diags: Diagnostics::default(),
    };
    for row in rows {
        reader.row(&row);
    }
    let problems = reader.problems;
    diags.extend(reader.diags);
    if problems > MAX_PROBLEMS {
        diags.push(
            Diagnostic::error(
                file,
                0..0,
                format!(
                    "and {} more problems in the postcode table",
                    problems - MAX_PROBLEMS
                ),
            )
            .with_help("put right the rows above, then check again"),
        );
    }
    let table = reader.found.into_iter().map(|(p, (at, _))| (p, at));
    (problems == 0).then(|| Postcodes::new(table.collect()))
}

const HEADER_HELP: &str = "the first line names the columns, such as `postcode,latitude,longitude` (the ONSPD's `pcds`, `lat` and `long` work too); other columns are ignored";

/// Which cell of a row holds the postcode, the latitude and the longitude.
#[derive(Debug, Clone, Copy)]
struct Columns {
    postcode: usize,
    lat: usize,
    lon: usize,
}

fn columns(file: &Arc<SourceFile>, header: &Row, diags: &mut Diagnostics) -> Option<Columns> {
    let find = |names: &[&str]| {
        names.iter().find_map(|name| {
            header
                .cells
                .iter()
                .position(|c| c.text.trim().eq_ignore_ascii_case(name))
        })
    };
    let (postcode, lat, lon) = (find(&POSTCODE), find(&LATITUDE), find(&LONGITUDE));
    let missing: Vec<&str> = [
        (postcode, "postcode"),
        (lat, "latitude"),
        (lon, "longitude"),
    ]
    .into_iter()
    .filter(|(at, _)| at.is_none())
    .map(|(_, name)| name)
    .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(
                file,
                header.span.clone(),
                format!(
                    "the first line of the postcode table has no {} column",
                    missing.join(" or ")
                ),
            )
            .with_help(HEADER_HELP),
        );
        return None;
    }
    Some(Columns {
        postcode: postcode?,
        lat: lat?,
        lon: lon?,
    })
}

/// The rows read so far: each postcode with its place and where it was first given.
struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    columns: Columns,
    found: BTreeMap<String, (LatLon, usize)>,
    problems: usize,
    diags: Diagnostics,
}

impl Reader<'_> {
    fn row(&mut self, row: &Row) {
        let needed = 1 + self
            .columns
            .postcode
            .max(self.columns.lat)
            .max(self.columns.lon);
        if row.cells.len() < needed {
            let end = row.span.end;
            self.problem(
                end..end,
                format!("this row has {} cells, not {needed}", row.cells.len()),
                "every row gives a postcode, a latitude and a longitude in the columns the first line names",
            );
            return;
        }
        let cell = |i: usize| &row.cells[i];
        let lat = self.number(cell(self.columns.lat), "latitude", 90.0, "51.5633");
        let lon = self.number(cell(self.columns.lon), "longitude", 180.0, "-0.0112");
        let postcode = self.postcode(cell(self.columns.postcode));
        // The ONSPD keeps postcodes it cannot place, at 99.999999, 0: they are left out.
        if lat == Some(ONSPD_NO_PLACE) {
            return;
        }
        let (Some(postcode), Some(lat), Some(lon)) = (postcode, lat, lon) else {
            return;
        };
        let at = cell(self.columns.postcode).span.clone();
        match self.found.entry(postcode) {
            Entry::Vacant(v) => {
                v.insert(((lat, lon), at.start));
            }
            Entry::Occupied(o) => {
                let ((lat0, lon0), first) = *o.get();
                if (lat0, lon0) != (lat, lon) {
                    let (line, _) = self.file.line_col(first);
                    let message = format!(
                        "{} is already in the table, on line {line}, at {lat0}, {lon0}",
                        o.key()
                    );
                    self.problem(at, message, "keep only the row with the right coordinates");
                }
            }
        }
    }

    fn postcode(&mut self, cell: &Cell) -> Option<String> {
        // The ONSPD's `pcd` pads short postcodes with two spaces ("E1  6AN").
        let found = if cell.text.trim().contains("  ") {
            geo::postcode(&cell.text.split_whitespace().collect::<String>())
        } else {
            geo::postcode(&cell.text)
        };
        if found.is_none() {
            self.problem(
                cell.span.clone(),
                format!("`{}` is not a UK postcode", shown(&cell.text)),
                "write the full postcode, such as `E10 6QX`",
            );
        }
        found
    }

    fn number(&mut self, cell: &Cell, what: &str, limit: f64, example: &str) -> Option<f64> {
        let n = cell.text.trim().parse::<f64>().ok();
        let ok = n.filter(|n| n.is_finite() && (n.abs() <= limit || *n == ONSPD_NO_PLACE));
        if ok.is_none() {
            self.problem(
                cell.span.clone(),
                format!(
                    "`{}` is not a {what}: it should be a number between -{limit} and {limit}",
                    shown(&cell.text)
                ),
                format!("write it in degrees, such as `{example}`"),
            );
        }
        ok
    }

    fn problem(&mut self, span: std::ops::Range<usize>, message: String, help: impl Into<String>) {
        self.problems += 1;
        if self.problems <= MAX_PROBLEMS {
            let d = Diagnostic::error(self.file, span, message).with_help(help);
            self.diags.push(d);
        }
    }
}

/// A cell's text as a message shows it: short, on one line, with control characters shown.
fn shown(text: &str) -> String {
    let one_line: String = text.chars().flat_map(char::escape_debug).take(40).collect();
    if text.chars().count() > 40 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<Postcodes>, Vec<String>) {
        let file = SourceFile::new("data/postcodes.csv", text.to_string());
        let mut diags = Diagnostics::default();
        let table = table(&file, &mut diags);
        let problems = diags
            .iter()
            .map(|d| {
                let (line, col) = d.line_col();
                format!("{line}:{col} {}", d.message)
            })
            .collect();
        (table, problems)
    }

    #[test]
    fn onspd_columns_in_any_order_with_others_ignored() {
        let (table, problems) = read(
            "pcd,lat,doterm,long,pcds\n\"E10 6QX\",51.5641,,-0.0112,\"E10 6QX\"\r\nE1  6AN,51.52,,-0.07,E1 6AN\nZZ99 9ZZ,99.999999,,0.000000,ZZ99 9ZZ\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        let table = table.unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.get("e10 6qx"), Some((51.5641, -0.0112)));
        assert_eq!(table.get("E1 6AN"), Some((51.52, -0.07)));
    }

    #[test]
    fn every_bad_row_is_reported_where_it_is() {
        let (table, problems) = read(
            "Postcode,Latitude,Longitude\nE10 6QX,51.56,-0.01\nnot one,51.5,-0.01\nE10 6QY,north,-0.01\nE10 6QZ,51.5,200\nE10 6QX,51.6,-0.01\nE10 7AA,51.5\n",
        );
        assert!(table.is_none());
        assert_eq!(
            problems,
            vec![
                "3:1 `not one` is not a UK postcode",
                "4:9 `north` is not a latitude: it should be a number between -90 and 90",
                "5:14 `200` is not a longitude: it should be a number between -180 and 180",
                "6:1 E10 6QX is already in the table, on line 2, at 51.56, -0.01",
                "7:13 this row has 2 cells, not 3",
            ]
        );
    }

    #[test]
    fn the_same_row_twice_is_no_problem() {
        let (table, problems) = read("postcode,lat,lon\nE10 6QX,51.5,-0.01\nE10 6QX,51.5,-0.01\n");
        assert!(problems.is_empty());
        assert_eq!(table.map(|t| t.len()), Some(1));
    }

    #[test]
    fn a_missing_column_is_one_problem() {
        let (table, problems) = read("pcds,easting,northing\nE10 6QX,537000,187000\n");
        assert!(table.is_none());
        assert_eq!(
            problems,
            vec!["1:1 the first line of the postcode table has no latitude or longitude column"]
        );
    }

    #[test]
    fn a_file_of_bad_rows_is_summed_up() {
        let mut text = String::from("postcode,lat,lon\n");
        for _ in 0..200 {
            text.push_str("=cmd|' /C calc'!A0,x,y\n");
        }
        let (_, problems) = read(&text);
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            problems.last().map(String::as_str),
            Some("1:1 and 550 more problems in the postcode table")
        );
    }
}
