//! Atom feeds of listings, newest `updated` first, so people and other directories can
//! follow changes: one for the whole site, and one beside each facet value's page (such as
//! `/needs/dementia/feed.xml`), which stands in for an alert about new services of a kind.
//! Each holds the services checked most recently, not all of them: the whole directory is
//! `services.csv` and the Open Referral UK API.

use std::fmt::Write;
use std::sync::Arc;

use crate::model::facets::{self, Facet, FacetValue};
use crate::model::urls::{self, Urls};
use crate::model::{Listing, Site};
use crate::write::Output;

pub const PATH: &str = "feed.xml";

/// How many services a feed holds, most recently checked first. A reader needs only what is
/// new, and fetches the feed again every hour or so: the site's feed of every service was
/// 5 MB at 10,000 services and 50 MB at 100,000, and a thousand-service site would write
/// each service into a dozen facet value feeds.
pub const FEED_ENTRIES: usize = 50;

/// A facet value's feed, relative to the site's root: beside its page.
pub fn facet_value_rel(segment: &str, key: &str) -> String {
    [urls::facet_value_rel(segment, key).as_str(), PATH].concat()
}

pub fn write(site: &Site, out: &mut Output) {
    out.add(PATH, feed(site).into_bytes());
    let all = facets::facets(&site.config);
    let members = facets::memberships(site, &all);
    for (facet, members) in all.iter().zip(&members) {
        for value in &facet.values {
            let listed = members.get(&value.key).map_or(&[][..], Vec::as_slice);
            let xml = value_feed(site, facet, value, listed);
            out.add(
                &facet_value_rel(facet.segment, &value.key),
                xml.into_bytes(),
            );
        }
    }
}

/// Midnight UTC of a listing's date: the format has days, Atom wants instants.
fn instant(date: crate::model::Date) -> String {
    format!("{date}T00:00:00Z")
}

/// The site-wide feed.
pub fn feed(site: &Site) -> String {
    let c = &site.config;
    let about = About {
        self_rel: PATH.into(),
        title: c.title.clone(),
        page_rel: String::new(),
        limit: FEED_ENTRIES,
    };
    atom(
        site,
        &about,
        site.listings.iter().map(Arc::as_ref).collect(),
    )
}

/// One facet value's feed; `listed` indexes `site.listings`.
fn value_feed(site: &Site, facet: &Facet, value: &FacetValue, listed: &[usize]) -> String {
    let about = About {
        self_rel: facet_value_rel(facet.segment, &value.key),
        title: format!("{}: {}: {}", site.config.title, facet.label, value.label),
        page_rel: urls::facet_value_rel(facet.segment, &value.key),
        limit: FEED_ENTRIES,
    };
    atom(
        site,
        &about,
        listed.iter().map(|&i| &*site.listings[i]).collect(),
    )
}

/// What a feed is of: where it is, its title, the page it stands beside, and how many
/// entries it keeps.
struct About {
    self_rel: String,
    title: String,
    page_rel: String,
    limit: usize,
}

/// The one writer of Atom documents. A feed with no entries yet says it was updated when
/// the newest service of the site was, so it still changes only when the content does.
fn atom(site: &Site, about: &About, mut listings: Vec<&Listing>) -> String {
    let c = &site.config;
    let urls = Urls::new(&c.base_url, &c.base_path());
    // Stable: listings of the same day stay in title order.
    listings.sort_by_key(|l| std::cmp::Reverse(l.updated));
    listings.truncate(about.limit);
    let newest = listings
        .first()
        .map(|l| l.updated)
        .or_else(|| site.listings.iter().map(|l| l.updated).max());
    let updated = newest.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), instant);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&c.language)
    );
    let self_url = urls.absolute(&about.self_rel);
    let _ = writeln!(xml, "  <id>{}</id>", escape(&self_url));
    let _ = writeln!(xml, "  <title>{}</title>", escape(&about.title));
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
        escape(&urls.absolute(&about.page_rel))
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
