//! Open data beside the site: the Open Referral UK API as static files (`oruk`), schema.org
//! JSON-LD for listing pages (`jsonld`), an Atom feed (`feed`) and a spreadsheet (`csv`).
//! Everything is made from the site model alone, so the same content always gives the same
//! bytes: ids are UUIDv5s and every list is sorted.

pub mod csv;
pub mod feed;
pub mod jsonld;
pub mod oruk;

use uuid::Uuid;

/// Whether the exports make (or could make) a file at `path`: `dayopps serve` makes them
/// after the pages, and the links checked before they are made must not be reported broken.
pub fn made_by_exports(path: &str) -> bool {
    path == feed::PATH
        || path.ends_with(&format!("/{}", feed::PATH))
        || path == csv::PATH
        || path.starts_with("api/")
        || [oruk::REDIRECTS, oruk::HEADERS, oruk::AZURE].contains(&path)
}

/// An id for something site-wide (a taxonomy, a place), stable while the site's address is.
pub fn site_id(base_url: &str, path: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{base_url}{path}").as_bytes())
}

/// An id for a part of a service (a schedule, a cost), stable while the service's is.
pub fn child_id(parent: Uuid, path: &str) -> Uuid {
    Uuid::new_v5(&parent, path.as_bytes())
}
