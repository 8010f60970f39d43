//! Front matter, YAML and Markdown of one listing file, from arbitrary bytes: nothing may panic.
//! Run with `cargo +nightly fuzz run listing` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = dayopps::validate::check_text("content/listings/fuzz.md", &text);
});
