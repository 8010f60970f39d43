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

step "install dayopps as a council would (cargo install), reusing the release build above"
cargo install --locked --path . --root target/installed --target-dir target
dayopps=$PWD/target/installed/bin/dayopps
"$dayopps" --version

# The installed binary, run from folders outside this repository, so nothing can depend on it.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT

step "a council's new site: dayopps init, check and build, outside the repository, no theme folder"
(cd "$outside" && "$dayopps" init new-council --council "Example County Council" \
  --base-url https://example.gov.uk/ &&
  "$dayopps" check --root new-council && "$dayopps" build --root new-council)
test ! -e "$outside/new-council/themes"
rm -rf target/new-council
mv "$outside/new-council" target/new-council

step "a council's own site (its own vocabularies and areas, under a sub-path), outside the repository"
cp -r tests/fixtures/council "$outside/northshire"
(cd "$outside/northshire" && "$dayopps" check && "$dayopps" build)
test ! -e "$outside/northshire/themes"
grep -q 'href="/day-services/areas/dales/"' "$outside/northshire/public/how-to-get-a-place/index.html"
grep -q 'Dales Walking Group' "$outside/northshire/public/needs/sight-loss/index.html"
grep -q '<loc>https://www.northshire.gov.uk/day-services/services/coast-carers-cafe/</loc>' \
  "$outside/northshire/public/sitemap.xml"

step "browser suite on the new site"
SITE_KIND=new bash tests/browser/run.sh target/new-council/public
