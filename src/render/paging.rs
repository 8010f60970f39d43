//! Long lists cut into pages, and the "Previous", page numbers and "Next" between them, as in
//! the GOV.UK Design System's pagination pattern.

use serde::Serialize;

use crate::model::urls::Urls;

/// The most services a page lists: GOV.UK keeps long lists short enough to scan.
pub const PER_PAGE: usize = 50;

/// How many pages `n` services take; an empty list still has its one page.
pub fn count(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// The services page `page` (from 1) of a list holds.
pub fn slice<T>(list: &[T], page: usize) -> &[T] {
    let from = ((page - 1) * PER_PAGE).min(list.len());
    &list[from..(from + PER_PAGE).min(list.len())]
}

/// What a template needs to draw the links between the pages of a list.
#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub items: Vec<Item>,
}

/// A page number, or a gap (`number` is `None`) where pages are left out.
#[derive(Serialize)]
pub struct Item {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// The links for page `current` of `total` of the list whose first page is `rel`, or
    /// none when the list fits on one page, so that such a page looks as it always has.
    pub fn new(urls: &Urls, rel: &str, current: usize, total: usize) -> Option<Self> {
        if total <= 1 {
            return None;
        }
        let url = |n| urls.page(rel, n);
        let mut items = Vec::new();
        let mut last = 0;
        for n in shown(current, total) {
            // A gap of one page would take as much room as its number, so it is shown.
            if n > last + 2 {
                items.push(Item {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            } else if n == last + 2 {
                items.push(Item::number(n - 1, url(n - 1), false));
            }
            items.push(Item::number(n, url(n), n == current));
            last = n;
        }
        Some(Pagination {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            items,
        })
    }
}

impl Item {
    fn number(n: usize, url: String, current: bool) -> Self {
        Item {
            number: Some(n),
            url,
            current,
        }
    }
}

/// The page numbers always shown: the first, the last, the current one and its neighbours.
fn shown(current: usize, total: usize) -> Vec<usize> {
    let mut pages = vec![1, current.saturating_sub(1), current, current + 1, total];
    pages.retain(|&n| n >= 1 && n <= total);
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(current: usize, total: usize) -> Vec<Option<usize>> {
        let urls = Urls::new("https://x.example/", "/");
        Pagination::new(&urls, "days/monday/", current, total)
            .map(|p| p.items.into_iter().map(|i| i.number).collect())
            .unwrap_or_default()
    }

    #[test]
    fn one_page_has_no_links() {
        assert!(numbers(1, 1).is_empty());
    }

    #[test]
    fn long_ranges_keep_first_last_and_neighbours() {
        assert_eq!(
            numbers(5, 120),
            vec![Some(1), None, Some(4), Some(5), Some(6), None, Some(120)]
        );
        assert_eq!(numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(numbers(1, 4), (1..=4).map(Some).collect::<Vec<_>>());
        assert_eq!(numbers(1, 5), vec![Some(1), Some(2), None, Some(5)]);
        assert_eq!(numbers(4, 6), (1..=6).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn pages_hold_at_most_the_limit() {
        let list: Vec<usize> = (0..120).collect();
        assert_eq!(count(120), 3);
        assert_eq!(count(0), 1);
        assert_eq!(slice(&list, 3).len(), 20);
        assert_eq!(slice(&list, 1)[0], 0);
    }
}
