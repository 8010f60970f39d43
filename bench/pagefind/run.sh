#!/usr/bin/env bash
# Bytes a browser transfers for the first search with Pagefind on a built dayopps site:
#   bash bench/pagefind/run.sh target/demo-public [QUERY ...]
# Installs what it needs first: Debian's Chromium when missing, and the pinned npm packages
# (pagefind, playwright-core) with `npm ci` when node_modules is missing.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bash bench/pagefind/run.sh SITE_DIR [QUERY ...]   (a built site, e.g. target/demo-public)" >&2
  exit 2
fi
if [ ! -d "$1/services" ]; then
  echo "bench/pagefind/run.sh: $1 has no services/; build the site first:" >&2
  echo "  cargo run --release -- build --output $1" >&2
  exit 2
fi
site="$(cd "$1" && pwd)"
shift
here="$(cd "$(dirname "$0")" && pwd)"

. "$here/../../tests/lib/apt.sh"

# Playwright drives Debian's Chromium; it never downloads a browser of its own.
[ -x /usr/bin/chromium ] || apt_install chromium
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "bench/pagefind/run.sh: needs Node.js 20 or later and npm" >&2
  exit 2
fi

cd "$here"
if [ ! -d node_modules ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

node first-search.js "$site" "$@"
