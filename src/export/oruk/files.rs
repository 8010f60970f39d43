//! The static API's files: the root, every object by id (services, their places,
//! taxonomies, terms) and the pages that list them (`lists`), each written compact as an API
//! would answer, and the host rules that serve them at the standard paths (`hosts`).

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::memo::Memo;
use crate::model::{Listing, Site};
use crate::write::{Content, Output, WriteError, with_buffer};

use super::lists::{PER_PAGE, write_list, write_pages};
use super::{Cx, OPENAPI_URL, PROFILE, ROOT, Service, VERSION, hosts, service_path};

/// Writes every document of the static API into `out`, and the host rules that answer
/// the standard paths with them.
pub fn write(site: &Site, out: &mut Output, made: &Memo<Arc<Service>>) {
    let cx = Cx::new(site);
    let total = site.listings.len();
    let mut places = Vec::with_capacity(total);
    // The services' list is written a batch of whole pages at a time: its items, held to
    // the end, took a quarter of a gigabyte at 100,000 listings. A service's places are as
    // many as its locations, but only counted once made, so theirs are kept to the end.
    for (i, batch) in site.listings.chunks(SERVICES_AT_ONCE).enumerate() {
        let sink = &*out;
        let done: Vec<Made> = batch
            .par_iter()
            .map(|l| made_service(&cx, sink, l, made))
            .collect();
        let mut list = Vec::with_capacity(done.len());
        for ((path, written), item, at) in done {
            out.record(path, written);
            list.push(item);
            for (path, written, item) in at {
                out.record(path, written);
                places.push(item);
            }
        }
        write_pages(
            out,
            "services",
            &list,
            total,
            i * SERVICES_AT_ONCE / PER_PAGE,
        );
    }
    if total == 0 {
        write_list(out, "services", &[] as &[Box<RawValue>]);
    }
    write_list(out, "service_at_locations", &places);
    out.add(ROOT, bytes(&root()));
    let vocabularies = cx.vocabularies();
    for (list, entries) in [
        ("taxonomies", &vocabularies.taxonomies),
        ("taxonomy_terms", &vocabularies.terms),
    ] {
        let docs: Vec<&RawValue> = entries.iter().map(|e| &*e.doc).collect();
        write_list(out, list, &docs);
        for e in entries {
            out.add(&format!("api/{list}/{}.json", e.id), bytes(&e.doc));
        }
    }
    hosts::write(&site.config.base_path(), out);
}

/// Services made at once, on every thread, before their list's pages are written: whole
/// pages, as each page holds `PER_PAGE` items.
const SERVICES_AT_ONCE: usize = PER_PAGE * 40;

/// A service's files, written (each service is made, written and dropped on its own thread:
/// held together, the documents of 10,000 services take about a gigabyte), and the items of
/// the lists, which need only a few fields of each, kept as their JSON text.
fn made_service(cx: &Cx, sink: &Output, l: &Listing, made: &Memo<Arc<Service>>) -> Made {
    let service = cx.service_reusing(l, made);
    let path = service_path(l.id);
    let written = sink.prepare(&path, Content::Shared(service.file.clone()));
    let places = service
        .places
        .iter()
        .map(|p| {
            let at = format!("api/service_at_locations/{}.json", p.id);
            let content = Content::Shared(p.file.clone());
            // A service's only place is answered with the service's own document.
            let written = if Arc::ptr_eq(&p.file, &service.file) {
                sink.prepare_same_as(&at, &path, content)
            } else {
                sink.prepare(&at, content)
            };
            (at, written, p.item.clone())
        })
        .collect();
    ((path, written), service.item.clone(), places)
}

/// A service written: its file, its list item, and each of its places' files and items.
type Made = (
    (String, Result<Content, WriteError>),
    Box<RawValue>,
    Vec<(String, Result<Content, WriteError>, Box<RawValue>)>,
);

pub(super) fn raw(value: &impl Serialize) -> Box<RawValue> {
    // Only maps with keys that are not strings fail to serialise, and a document has none.
    serde_json::value::to_raw_value(value).expect("a document always serialises")
}

pub fn root() -> Value {
    json!({"version": VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL})
}

/// All items on one page: a static site cannot paginate on request.
pub fn page<T: Serialize>(contents: Vec<T>) -> Page<T> {
    let n = contents.len();
    page_of(contents, n, 1, n.max(1))
}

/// The profile's paginated list. Fields in alphabetical order, as a JSON object's always are
/// in this crate's output.
#[derive(Serialize)]
pub struct Page<T> {
    contents: Vec<T>,
    empty: bool,
    first_page: bool,
    last_page: bool,
    page_number: usize,
    size: usize,
    total_items: usize,
    total_pages: usize,
}

/// One page of `total_items`, numbered from 1, of at most `per_page` items.
pub fn page_of<T>(
    contents: Vec<T>,
    total_items: usize,
    page_number: usize,
    per_page: usize,
) -> Page<T> {
    let total_pages = total_items.div_ceil(per_page.max(1)).max(1);
    Page {
        total_items,
        total_pages,
        page_number,
        size: contents.len(),
        first_page: page_number == 1,
        last_page: page_number >= total_pages,
        empty: contents.is_empty(),
        contents,
    }
}

/// Compact, as APIs answer: at 10,000 services indentation alone would add 80 MB.
pub(super) fn bytes(value: &impl Serialize) -> Vec<u8> {
    let mut text = Vec::new();
    write_document(value, &mut text);
    text
}

/// As `bytes`, made in a buffer this thread keeps: for the documents made by the thousand.
pub(super) fn shared_bytes(value: &impl Serialize) -> Arc<[u8]> {
    with_buffer(|text| {
        write_document(value, text);
        Arc::from(text.as_slice())
    })
}

/// A document's JSON and a line end; a document that cannot be written is left empty.
fn write_document(value: &impl Serialize, text: &mut Vec<u8>) {
    if serde_json::to_writer(&mut *text, value).is_err() {
        text.clear();
    }
    text.push(b'\n');
}
