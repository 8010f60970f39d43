//! The page fields of a list, as the validator checks them on the first, middle and last
//! page, and that the pages agree with one another.

use serde_json::Value;

/// The page fields of one answer, once they are known to be there.
pub struct Page {
    pub total_items: u64,
    pub total_pages: u64,
    pub size: u64,
    pub contents: Vec<Value>,
}

const COUNTS: [&str; 4] = ["total_items", "total_pages", "page_number", "size"];
const FLAGS: [&str; 3] = ["first_page", "last_page", "empty"];

/// Reads the page fields of the answer to `?page=number`, adding to `problems` whatever is
/// missing or inconsistent.
pub fn read(at: &str, body: &Value, number: u64, problems: &mut Vec<String>) -> Option<Page> {
    let mut missing = Vec::new();
    let count = |k: &str| body.get(k).and_then(Value::as_u64);
    let flag = |k: &str| body.get(k).and_then(Value::as_bool);
    missing.extend(COUNTS.iter().filter(|k| count(k).is_none()));
    missing.extend(FLAGS.iter().filter(|k| flag(k).is_none()));
    let contents = body.get("contents").and_then(Value::as_array);
    if contents.is_none() {
        missing.push(&"contents");
    }
    if !missing.is_empty() {
        problems.push(format!(
            "{at}: page fields missing or of the wrong type: {missing:?}"
        ));
        return None;
    }
    let contents = contents.cloned().unwrap_or_default();
    let page = Page {
        total_items: count("total_items").unwrap_or(0),
        total_pages: count("total_pages").unwrap_or(0),
        size: count("size").unwrap_or(0),
        contents,
    };
    let mut wrong = |what: &str, ok: bool| {
        if !ok {
            problems.push(format!("{at}: {what}"));
        }
    };
    let n = page.contents.len() as u64;
    wrong(
        "`page_number` is not the page asked for",
        count("page_number") == Some(number),
    );
    wrong("`size` is not the number of `contents`", page.size == n);
    wrong(
        "`empty` does not say whether `contents` is",
        flag("empty") == Some(n == 0),
    );
    wrong(
        "`first_page` is wrong",
        flag("first_page") == Some(number == 1),
    );
    let last = number == page.total_pages.max(1);
    wrong("`last_page` is wrong", flag("last_page") == Some(last));
    wrong("`total_pages` is 0", page.total_pages >= 1);
    wrong(
        "more items on the page than `total_items`",
        n <= page.total_items,
    );
    if number <= page.total_pages && page.total_items > 0 {
        wrong("a page within `total_pages` is empty", n > 0);
    }
    Some(page)
}

/// Pages of one size: `total_items` is the first page's size times the pages before the
/// last, plus the last page's.
pub fn agree(at: &str, first: &Page, last: &Page, problems: &mut Vec<String>) {
    if first.total_items != last.total_items || first.total_pages != last.total_pages {
        problems.push(format!(
            "{at}: the first and last pages disagree on the totals"
        ));
        return;
    }
    let expected = if first.total_pages <= 1 {
        first.size
    } else {
        first.size * (first.total_pages - 1) + last.size
    };
    if expected != first.total_items {
        problems.push(format!(
            "{at}: pages of {} items and a last page of {} do not make {} items in {} pages",
            first.size, last.size, first.total_items, first.total_pages
        ));
    }
}
