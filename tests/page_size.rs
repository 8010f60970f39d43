//! No page too heavy: a large directory builds into HTML pages that each stay under a fixed
//! size, so a long facet value or the A to Z cannot grow into one page of a megabyte that a
//! phone on a slow connection struggles with (issue #28). Bytes, unlike times, are the same on
//! every machine, so the budget is exact.

mod common;

use common::TestSite;

/// The most bytes an HTML page may have. A card takes 500 bytes to 1 KB, so a page of 50
/// cards (pagination's limit) with the header, footer and near-me form comes to 30 to 60 KB;
/// a facet value that lists all 800 services on one page, as before pagination, is 400 KB
/// or more. The budget sits between, with room for a theme to grow, and holds for any size of
/// directory: pages of 50 do not grow with it.
const BUDGET: usize = 150 * 1024;

/// Enough services that one list of them all is far over the budget (and few enough that a
/// debug build of them takes seconds).
const LISTINGS: usize = 800;

/// A listing per number, varied enough to spread over the A to Z and two areas, every one
/// open on Monday to Wednesday, so `days/monday/` has them all.
fn large_site() -> TestSite {
    let mut site = TestSite::new();
    for i in 0..LISTINGS {
        let letter = char::from(b'A' + u8::try_from(i % 26).expect("a letter"));
        let area = if i % 3 == 0 { "away" } else { "north" };
        let text = common::LISTING
            .replacen(
                "title: Garden Club",
                &format!("title: {letter} Garden Club {i}"),
                1,
            )
            .replacen("area: north", &format!("area: {area}"), 1);
        site = site.listing(&format!("club-{i}.md"), &text);
    }
    site
}

#[test]
fn no_html_page_of_a_large_directory_is_over_the_budget() {
    let site = large_site();
    let built = dayopps::build_in_memory(&site.options()).expect("the site builds");
    let mut pages: Vec<(String, usize)> = built
        .output
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, content)| (path.to_string(), content.bytes().map_or(0, <[u8]>::len)))
        .collect();
    pages.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    assert!(pages.len() > LISTINGS, "a page per service and more");

    // The test means something only if a single list of every service breaks the budget:
    // a page of 50 cards tells what a card costs.
    let first = size_of(&pages, "days/monday/index.html");
    assert!(
        first / 50 * LISTINGS > BUDGET * 2,
        "a card is {} bytes: too few services to test the budget",
        first / 50
    );
    let heavy: Vec<String> = pages
        .iter()
        .filter(|(_, size)| *size > BUDGET)
        .map(|(path, size)| format!("{path}: {size} bytes"))
        .collect();
    assert!(
        heavy.is_empty(),
        "pages over {BUDGET} bytes:\n{}",
        heavy.join("\n")
    );
    // And the lists are in pages, as the budget needs.
    assert!(
        size_of(&pages, "days/monday/page/16/index.html") > 0,
        "800 services on Mondays take 16 pages"
    );
    assert_eq!(size_of(&pages, "days/monday/page/17/index.html"), 0);
    assert!(size_of(&pages, "services/page/16/index.html") > 0);
}

fn size_of(pages: &[(String, usize)], path: &str) -> usize {
    pages
        .iter()
        .find(|(p, _)| p == path)
        .map_or(0, |(_, size)| *size)
}
