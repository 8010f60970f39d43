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
    if items.is_empty() {
        let text = bytes(&page_of(Vec::<&T>::new(), 0, 1, PER_PAGE));
        out.add(&first_page_path(list), text.clone());
        out.add(&page_path(list, 1), text);
        return;
    }
    write_pages(out, list, items, items.len(), 0);
}

/// Writes `items`, a run of whole pages of a list of `total` items (but for the last page)
/// that starts after page `before`, as those pages.
pub(super) fn write_pages<T: Serialize>(
    out: &mut Output,
    list: &str,
    items: &[T],
    total: usize,
    before: usize,
) {
    for (i, chunk) in items.chunks(PER_PAGE).enumerate() {
        let number = before + i + 1;
        let text = bytes(&page_of(chunk.iter().collect(), total, number, PER_PAGE));
        if number == 1 {
            out.add(&first_page_path(list), text.clone());
        }
        out.add(&page_path(list, number), text);
    }
}

#[cfg(test)]
mod tests {
    use super::{PER_PAGE, write_list, write_pages};
    use crate::write::Output;

    fn files(out: &Output) -> Vec<(&str, &[u8])> {
        out.files
            .iter()
            .filter_map(|(path, c)| Some((path.as_str(), c.bytes()?)))
            .collect()
    }

    #[test]
    fn a_list_written_a_run_of_pages_at_a_time_is_the_list_written_at_once() {
        let items: Vec<usize> = (0..PER_PAGE * 5 + 7).collect();
        let mut whole = Output::default();
        write_list(&mut whole, "services", &items);
        let mut runs = Output::default();
        let run = PER_PAGE * 2;
        for (i, part) in items.chunks(run).enumerate() {
            write_pages(&mut runs, "services", part, items.len(), i * run / PER_PAGE);
        }
        assert_eq!(files(&whole).len(), 7, "page 1 twice, and pages 2 to 6");
        assert_eq!(files(&runs), files(&whole));
        let last = whole
            .files
            .get("api/services/page/6.json")
            .and_then(|c| c.bytes());
        let last = String::from_utf8_lossy(last.unwrap_or_default()).into_owned();
        assert!(last.contains("\"last_page\":true"), "{last}");
        assert!(last.contains("\"size\":7"), "{last}");
    }

    #[test]
    fn an_empty_list_has_its_first_page() {
        let mut out = Output::default();
        write_list(&mut out, "services", &[] as &[usize]);
        let first = out
            .files
            .get("api/services/index.json")
            .and_then(|c| c.bytes());
        let first = String::from_utf8_lossy(first.unwrap_or_default()).into_owned();
        assert!(first.contains("\"empty\":true") && first.contains("\"total_pages\":1"));
        assert!(out.files.contains_key("api/services/page/1.json"));
    }
}
