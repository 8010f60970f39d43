//! The static API's lists, paged as the live API pages them: page 1 at the list's own
//! folder (`api/services/index.json`, for the bare path `/api/services`) and every page,
//! page 1 too, at `api/services/page/<n>.json`, for the host rules that map `?page=<n>`.
//! A static host cannot read `per_page`, so every page holds `PER_PAGE` items.

use serde::Serialize;

use crate::write::Output;

use super::files::{bytes, page_of};

/// Items on a page: the live API's default too, so both answer `?page=2` alike.
pub const PER_PAGE: usize = 50;

/// The file of page 1 of a list, at the list's bare path.
pub fn first_page_path(list: &str) -> String {
    format!("api/{list}/index.json")
}

/// The file of page `n` (from 1, or a host rule's placeholder) of a list.
pub fn page_path(list: &str, n: impl std::fmt::Display) -> String {
    format!("api/{list}/page/{n}.json")
}

/// Writes `items` as the pages of `api/<list>/`; an empty list still has its page 1.
pub(super) fn write_list<T: Serialize>(out: &mut Output, list: &str, items: &[T]) {
    let total = items.len();
    let mut chunks: Vec<&[T]> = items.chunks(PER_PAGE).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    for (i, chunk) in chunks.into_iter().enumerate() {
        let number = i + 1;
        let text = bytes(&page_of(chunk.iter().collect(), total, number, PER_PAGE));
        if number == 1 {
            out.add(&first_page_path(list), text.clone());
        }
        out.add(&page_path(list, number), text);
    }
}
