//! Random input never panics: random bytes, and listings mutated in ways people (and attackers)
//! mutate them. Every problem found points inside the file.

mod common;

use common::LISTING;
use proptest::prelude::*;

const TRICKY: &[&str] = &[
    "",
    "[",
    "]",
    "{",
    "}",
    "- a",
    "&a x",
    "*a",
    "!!binary aGk=",
    "0x1F",
    "1e999",
    "~",
    "null",
    "'",
    "\"",
    "\t",
    "\u{feff}",
    "é",
    "09:30",
    "\"24:00\"",
    "[mon, mon]",
    "{a: {b: {c: [1]}}}",
    "<script>",
    "{{ x }}",
    "|\n  block",
    ">-\n  folded",
    "2024-02-30",
    "-1",
    "9999999999999999999999",
    "[[], {}]",
    ": :",
    "---",
];

fn mutated() -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = LISTING.lines().collect();
    let n = lines.len();
    (0..n, 0..TRICKY.len(), 0..4u8, 0..LISTING.len()).prop_map(move |(line, tricky, how, cut)| {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        match how {
            0 => {
                // replace a value
                let key = l[line].split(':').next().unwrap_or("").to_string();
                l[line] = format!("{key}: {}", TRICKY[tricky]);
            }
            1 => {
                l.remove(line);
            }
            2 => l.insert(line, TRICKY[tricky].to_string()),
            _ => {
                let text = l.join("\n");
                let cut = (0..=cut.min(text.len()))
                    .rev()
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(0);
                return text[..cut].to_string();
            }
        }
        l.join("\n")
    })
}

fn assert_spans_inside(text: &str, name: &str) {
    for d in dayopps::validate::check_text(name, text).iter() {
        if d.file.name == name {
            assert!(
                d.span.start <= text.len() && d.span.end <= text.len(),
                "{d} has a span outside the file"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        assert_spans_inside(&text, "content/listings/random.md");
        assert_spans_inside(&text, "content/listings/random.yaml");
    }

    #[test]
    fn mutated_listings_never_panic(text in mutated()) {
        assert_spans_inside(&text, "content/listings/mutated.md");
    }

    #[test]
    fn random_markdown_never_panics(text in "[#*_\\[\\]()<>!`a-z:/ \n-]{0,300}") {
        let body = format!("{}\n{text}", LISTING.trim_end_matches("We grow vegetables.\n"));
        assert_spans_inside(&body, "content/listings/markdown.md");
    }
}

#[test]
fn the_unmutated_listing_is_valid() {
    let d = dayopps::validate::check_text("content/listings/garden.md", LISTING);
    assert!(!d.has_errors(), "{d}");
}
