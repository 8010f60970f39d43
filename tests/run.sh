#!/usr/bin/env bash
# Runs every test of dayopps, on a fresh machine as on a developer's: the lints, the Rust tests,
# a build of the demo directory, the browser search tests and the browser accessibility suite,
# then the same suite on a new council's site made by `dayopps init`.
# The two browser steps install what they need (Debian's chromium, Java and wamerican when
# missing, and the pinned npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

step "cargo test"
# CI=true makes insta fail on a changed snapshot instead of writing a new one.
CI=true cargo test --locked

step "build the demo directory (the README's first command)"
cargo run --release --locked -- build --output target/demo-public

step "browser search runtime (stemmer, parity with tantivy, filters, typos)"
bash tests/search-js/run.sh target/demo-public

step "browser suite (axe-core, reflow, keyboard, modes, print, Nu Html Checker)"
bash tests/browser/run.sh target/demo-public

step "a council's new site: dayopps init, check and build, with no theme folder"
rm -rf target/new-council
target/release/dayopps init target/new-council --council "Example County Council" \
  --base-url https://example.gov.uk/
target/release/dayopps check --root target/new-council
target/release/dayopps build --root target/new-council
test ! -e target/new-council/themes

step "browser suite on the new site"
SITE_KIND=new bash tests/browser/run.sh target/new-council/public
