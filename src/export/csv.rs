//! `services.csv`: one row a service and one column a listing field, for commissioners'
//! spreadsheets. UTF-8 with a byte order mark, which Excel needs to read it as UTF-8.

use std::sync::Arc;

use rayon::prelude::*;

use crate::memo::Memo;
use crate::model::urls::{self, Urls};
use crate::model::{Contact, Listing, Location, Session, Site, fields};
use crate::write::Output;

pub const PATH: &str = "services.csv";
const BOM: &str = "\u{feff}";
/// Lists in a cell: a semicolon, as commas appear inside addresses and notes.
const JOIN: &str = "; ";

pub fn write(site: &Site, out: &mut Output, made: &Memo<Arc<str>>) {
    out.add_streamed(PATH, |file| write_csv(site, made, file));
}

/// The columns: the page's address, then every listing field, `contact` split in three.
pub fn columns() -> Vec<String> {
    let mut columns = vec!["url".to_string(), "slug".to_string()];
    for f in fields::LISTING {
        match f.name {
            "contact" => {
                columns.extend(["phone", "email", "website"].map(|p| format!("contact.{p}")))
            }
            name => columns.push(name.to_string()),
        }
    }
    columns
}

/// Rows made at once, on every thread, before they are written: the whole file's rows and
/// text held together took over half a gigabyte at 100,000 listings, at the build's peak.
const ROWS_AT_ONCE: usize = 4096;

/// Writes the whole file into `file`, taking from `made` the rows the build before made
/// from the same listing: a batch of rows at a time, in the listings' order.
fn write_csv(
    site: &Site,
    made: &Memo<Arc<str>>,
    file: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let urls = Urls::new(&site.config.base_url, &site.config.base_path());
    let mut head = String::from(BOM);
    push_row(&mut head, &columns());
    file.write_all(head.as_bytes())?;
    for batch in site.listings.chunks(ROWS_AT_ONCE) {
        let rows: Vec<Arc<str>> = batch
            .par_iter()
            .map(|l| made.get(|| l.stamp, || row(l, &urls).into()))
            .collect();
        for row in rows {
            file.write_all(row.as_bytes())?;
        }
    }
    Ok(())
}

/// A listing's row, with its line ending.
fn row(l: &Listing, urls: &Urls) -> String {
    let mut row = vec![urls.absolute(&urls::service_rel(&l.slug)), l.slug.clone()];
    for f in fields::LISTING {
        match f.name {
            "contact" => row.extend(contact(&l.contact)),
            name => row.push(cell(l, name)),
        }
    }
    let mut text = String::new();
    push_row(&mut text, &row);
    text
}

fn contact(c: &Contact) -> [String; 3] {
    [&c.phone, &c.email, &c.website].map(|v| v.clone().unwrap_or_default())
}

fn list(items: &[String]) -> String {
    items.join(JOIN)
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// A field's value as the listing writes it: keys, not labels; dates as YYYY-MM-DD.
fn cell(l: &Listing, name: &str) -> String {
    match name {
        "id" => l.id.to_string(),
        "title" => l.title.clone(),
        "provider" => l.provider.clone(),
        "summary" => l.summary.clone(),
        "needs" => list(&l.needs),
        "service_types" => list(&l.service_types),
        "activities" => list(&l.activities),
        "area" => l.area.clone(),
        "locations" => l
            .locations
            .iter()
            .map(location)
            .collect::<Vec<_>>()
            .join(JOIN),
        "schedule" => l
            .schedule
            .iter()
            .map(session)
            .collect::<Vec<_>>()
            .join(JOIN),
        "schedule_notes" => opt(&l.schedule_notes),
        "term_time_only" => l.term_time_only.to_string(),
        "funding" => list(&l.funding),
        "costs" => l.costs.iter().map(cost).collect::<Vec<_>>().join(JOIN),
        "referral" => list(&l.referral),
        "accessibility" => list(&l.accessibility),
        "transport" => opt(&l.transport),
        "languages" => list(&l.languages),
        "outcomes" => list(&l.outcomes),
        "progression" => opt(&l.progression),
        "accredited" => l.accredited.to_string(),
        "disability_confident" => l.disability_confident.map(|c| c.key).unwrap_or("").into(),
        "vacancies" => l.vacancies.map(|c| c.key).unwrap_or("").into(),
        "vacancies_updated" => l
            .vacancies_updated
            .map(|d| d.to_string())
            .unwrap_or_default(),
        "images" => l
            .images
            .iter()
            .map(|i| i.src.clone())
            .collect::<Vec<_>>()
            .join(JOIN),
        "easy_read" => opt(&l.easy_read),
        "updated" => l.updated.to_string(),
        "review_by" => l.review_by.to_string(),
        "draft" => l.draft.to_string(),
        "description" => l.description_plain(),
        _ => String::new(),
    }
}

/// "The Hub: 1 High Street, E10 5QX (step-free, hearing-loop)"
fn location(loc: &Location) -> String {
    let name = loc
        .name
        .as_ref()
        .map(|n| format!("{n}: "))
        .unwrap_or_default();
    let access = if loc.accessibility.is_empty() {
        String::new()
    } else {
        format!(" ({})", loc.accessibility.join(", "))
    };
    format!("{name}{}, {}{access}", loc.address, loc.postcode)
}

/// "mon, tue 09:30-15:30"
fn session(s: &Session) -> String {
    let days: Vec<&str> = s.days.iter().map(|d| d.key()).collect();
    let hhmm = |t: crate::model::Time| format!("{:02}:{:02}", t.0 / 60, t.0 % 60);
    format!("{} {}-{}", days.join(", "), hhmm(s.from), hhmm(s.to))
}

/// "45.00 per session (Includes lunch.)"
fn cost(c: &crate::model::Cost) -> String {
    let notes = c
        .notes
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    format!(
        "{}.{:02} per {}{notes}",
        c.pence / 100,
        c.pence % 100,
        c.per.key()
    )
}

fn push_row(out: &mut String, cells: &[String]) {
    let quoted: Vec<String> = cells.iter().map(|c| quote(&defuse(c))).collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

/// A spreadsheet runs a cell that starts with one of these as a formula; an apostrophe
/// makes it text.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// RFC 4180 quoting, only where needed.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{defuse, quote};

    #[test]
    fn formulas_become_text() {
        for cell in ["=1+1", "+44 20", "-2", "@SUM(A1)"] {
            assert_eq!(defuse(cell), format!("'{cell}"));
        }
        assert_eq!(defuse("Tea = cake"), "Tea = cake");
    }

    #[test]
    fn quotes_only_where_needed() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a, \"b\""), "\"a, \"\"b\"\"\"");
    }
}
