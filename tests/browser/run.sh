#!/usr/bin/env bash
# Runs the browser suite against a built site:
#   bash tests/browser/run.sh target/demo-public
# Installs what it needs first: Debian's Chromium and a Java runtime (for the
# Nu Html Checker) when missing, and the pinned npm packages with `npm ci`.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bash tests/browser/run.sh SITE_DIR   (a built site, e.g. target/demo-public)" >&2
  exit 2
fi
if [ ! -f "$1/index.html" ]; then
  echo "tests/browser/run.sh: $1 has no index.html; build the site first:" >&2
  echo "  cargo run --release -- build --output $1" >&2
  exit 2
fi
site="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"

. "$here/../lib/apt.sh"

# Playwright drives Debian's Chromium; it never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
# Java runs vnu.jar, the Nu Html Checker (from the vnu-jar npm package).
if ! command -v java >/dev/null 2>&1; then
  apt_install default-jre-headless
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tests/browser/run.sh: needs Node.js 20 or later and npm" >&2
  exit 2
fi

cd "$here"
# --ignore-scripts: the only install script is vnu-jar's, which would fetch a Java
# runtime from the internet when none is installed; Debian's is installed above.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --quiet --no-audit --no-fund --ignore-scripts

# pagination.test.js needs lists longer than the demo's: a copy of the demo with five of
# each service (lib/paged-site.js), built by the newest dayopps binary (or $DAYOPPS). A new
# council's site (SITE_KIND=new) is checked without it; the test says why it skipped.
paged=""
if [ "${SITE_KIND:-}" != new ]; then
  repo="$(cd "$here/../.." && pwd)"
  target="${CARGO_TARGET_DIR:-$repo/target}"
  binary="${DAYOPPS:-$(ls -t "$target/release/dayopps" "$target/debug/dayopps" 2>/dev/null | head -n 1 || true)}"
  if [ -n "$binary" ] && [ -x "$binary" ]; then
    paged_root="$(mktemp -d)"
    trap 'rm -rf "$paged_root"' EXIT
    paged="$paged_root/public"
    node lib/paged-site.js "$repo" "$binary" "$paged"
  else
    echo "tests/browser/run.sh: no dayopps binary (build one, or set DAYOPPS): pagination is not checked" >&2
  fi
fi

# Every *.test.js here: the whole suite, and the checks of single features beside it
# (near-me search, the shortlist, pagination, ...).
SITE_DIR="$site" PAGED_SITE_DIR="$paged" node --test --test-reporter=spec ./*.test.js
