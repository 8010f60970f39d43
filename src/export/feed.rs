//! An Atom feed of listings, newest `updated` first, so people and other directories can
//! follow changes.

use std::fmt::Write;

use crate::model::urls::{self, Urls};
use crate::model::{Listing, Site};
use crate::write::Output;

pub const PATH: &str = "feed.xml";

pub fn write(site: &Site, out: &mut Output) {
    out.add(PATH, feed(site).into_bytes());
}

/// Midnight UTC of a listing's date: the format has days, Atom wants instants.
fn instant(date: crate::model::Date) -> String {
    format!("{date}T00:00:00Z")
}

pub fn feed(site: &Site) -> String {
    let c = &site.config;
    let urls = Urls::new(&c.base_url, &c.base_path());
    let mut listings: Vec<&Listing> = site.listings.iter().collect();
    // Stable: listings of the same day stay in title order.
    listings.sort_by_key(|l| std::cmp::Reverse(l.updated));
    let updated = listings.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |l| instant(l.updated),
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&c.language)
    );
    let self_url = urls.absolute(PATH);
    let _ = writeln!(xml, "  <id>{}</id>", escape(&self_url));
    let _ = writeln!(xml, "  <title>{}</title>", escape(&c.title));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape(&c.council)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&self_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&c.base_url)
    );
    for l in listings {
        entry(&mut xml, l, &urls);
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(xml: &mut String, l: &Listing, urls: &Urls) {
    let page = urls.absolute(&urls::service_rel(&l.slug));
    let _ = writeln!(xml, "  <entry>");
    let _ = writeln!(xml, "    <id>urn:uuid:{}</id>", l.id);
    let _ = writeln!(xml, "    <title>{}</title>", escape(&l.title));
    let _ = writeln!(xml, "    <updated>{}</updated>", instant(l.updated));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page)
    );
    let _ = writeln!(xml, "    <summary>{}</summary>", escape(&l.summary));
    let _ = writeln!(xml, "  </entry>");
}

/// Text safe in XML content and attributes; characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
