#!/usr/bin/env bash
# Runs every test of dayopps, on a fresh machine as on a developer's: installs what the tests
# need, then the Rust tests, the lints, and a build of the demo directory.
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

if [ -f tests/browser/package.json ]; then
  step "browser suite"
  bash tests/browser/run.sh target/demo-public
fi
