#!/usr/bin/env bash
# Tests of the browser search runtime: bash tests/search-js/run.sh SITE_DIR
# SITE_DIR is a built site (such as target/demo-public); target/release/dayopps must exist
# (the repo's tests/run.sh builds both). Needs Node 20+; no npm packages.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
site="$(cd "${1:?usage: run.sh SITE_DIR (a built site, such as target/demo-public)}" && pwd)"
bin="$repo/target/release/dayopps"

[ -x "$bin" ] || { echo "no $bin: run cargo build --release first" >&2; exit 1; }
[ -f "$site/search/meta.json" ] || { echo "no search index in $site: build the site first" >&2; exit 1; }

# The word list for the stemmer test (Debian's wamerican).
. "$here/../lib/apt.sh"
[ -f /usr/share/dict/american-english ] || apt_install --no-install-recommends wamerican

# `dayopps search --root R` reads R/public: give it a root whose public/ is this site.
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
ln -s "$site" "$root/public"

cd "$here"
SEARCH_SITE_DIR="$site" SEARCH_ROOT="$root" DAYOPPS_BIN="$bin" \
  node --test unit.test.js near.test.js bytes.test.js common.test.js stemmer.test.js parity.test.js
