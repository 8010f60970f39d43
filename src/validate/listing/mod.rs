//! A listing file: every field of the listing format, checked; each group of fields is
//! checked in its own file, and this one puts the groups together into a `Listing`.

mod about;
mod access;
mod contact;
mod images;
mod outcomes;
mod place;
mod schedule;
mod status;

use std::collections::HashSet;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::model::geo::Postcodes;
use crate::model::{Contact, Date, Image, Listing, SiteConfig, fields};

use super::readability;
use super::reader::Doc;

pub use about::SUMMARY_MAX;
pub use contact::contact_fields;

const HINT: &str = "the fields in the listing format";

/// What a listing's fields are checked against.
pub struct Context<'a> {
    pub config: &'a SiteConfig,
    pub images: &'a HashSet<String>,
    pub today: Date,
    /// The postcode table's file name and its postcodes, when the site has one.
    pub postcodes: Option<(&'a str, &'a Postcodes)>,
}

/// Reads the listing's fields. `description_html` is filled in by the caller.
pub fn listing(
    doc: &mut Doc,
    root: &Value,
    slug: &str,
    source: PathBuf,
    cx: &Context,
) -> Option<Listing> {
    let at = doc.mapping(root, "", "title: Riverside Garden Project")?;
    let known: Vec<&str> = fields::names().collect();
    doc.unknown_fields(at, &known, HINT);
    let about = about::read(doc, at, cx);
    let place = place::read(doc, at, &about.service_types, cx);
    let groups = Groups {
        about,
        place,
        when: schedule::read(doc, at),
        access: access::read(doc, at, cx),
        contact: contact::required_contact(doc, at),
        outcomes: outcomes::read(doc, at, cx),
        status: status::read(doc, at, slug, cx),
        images: images::images(doc, at, cx),
    };
    // Every field has been read, so every problem is reported; warnings look only at the
    // fields they need, so they come even when other fields are wrong.
    status::warn_if_old(doc, &groups.status, cx.today);
    contact::warn_if_http(doc, groups.contact.as_ref());
    about::warn_if_no_easy_read(doc, &groups.about);
    if doc.diags.has_errors() {
        return None;
    }
    assemble(slug, source, groups)
}

/// A listing's fields, read group by group; a required field is `None` when it was wrong.
struct Groups {
    about: about::About,
    place: place::Place,
    when: schedule::Timing,
    access: access::Access,
    contact: Option<Contact>,
    outcomes: outcomes::Outcomes,
    status: status::Status,
    images: Vec<Image>,
}

/// The listing from its groups of fields, or `None` when a required one is missing.
fn assemble(slug: &str, source: PathBuf, groups: Groups) -> Option<Listing> {
    let Groups {
        about,
        place,
        when,
        access,
        contact,
        outcomes,
        status,
        images,
    } = groups;
    Some(Listing {
        id: status.id,
        slug: slug.to_string(),
        source,
        title: about.title?,
        provider: about.provider?,
        summary: about.summary?,
        needs: about.needs,
        service_types: about.service_types,
        activities: about.activities,
        area: place.area?,
        locations: place.locations?,
        schedule: when.schedule?,
        schedule_notes: when.schedule_notes,
        term_time_only: when.term_time_only,
        funding: access.funding,
        costs: access.costs,
        referral: access.referral,
        accessibility: access.accessibility,
        transport: access.transport,
        languages: access.languages,
        outcomes: outcomes.outcomes,
        progression: outcomes.progression,
        accredited: outcomes.accredited,
        disability_confident: outcomes.disability_confident,
        vacancies: status.vacancies,
        vacancies_updated: status.vacancies_updated,
        contact: contact?,
        images,
        easy_read: about.easy_read,
        description_html: String::new(),
        description_text: String::new(),
        updated: status.updated?,
        review_by: status.review_by?,
        draft: status.draft,
        links: Vec::new(),
        stamp: 0,
    })
}

/// Plain-English advice on a text field, as warnings at that field.
fn advise(
    doc: &mut Doc,
    path: &str,
    text: Option<&str>,
    check: impl Fn(&str) -> Vec<readability::Advice>,
) {
    for a in text.map(check).unwrap_or_default() {
        doc.warning(path, a.message, a.help);
    }
}
