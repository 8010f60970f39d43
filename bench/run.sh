#!/usr/bin/env bash
# Build time, peak memory and first-search bytes of dayopps at 1,000 and 10,000 synthetic
# listings (../shared/bench/gen_listings.py), and on the demo. Prints a Markdown table; paste it
# into bench/RESULTS.md with the commit measured. Not a test: budgets are read off the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --locked -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # NAME ROOT
  local log="$work/$1.time"
  /usr/bin/time -v ./target/release/dayopps build --root "$2" --output "$work/$1-public" >/dev/null 2>"$log"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print int($NF/1024)}')
  echo "| $1 | $wall | $rss MiB |"
}

echo "| site | build wall time | peak memory |"
echo "|---|---|---|"
measure demo .
for n in 1000 10000; do
  python3 ../shared/bench/gen_listings.py "$work/site-$n" "$n" >/dev/null
  # The generator writes a few summaries over the format's 300 characters, which the build
  # rightly refuses: cut them at 300 so the whole directory builds.
  python3 - "$work/site-$n/content/listings" <<'PY'
import pathlib, re, sys
for f in pathlib.Path(sys.argv[1]).glob("*.md"):
    text = f.read_text()
    fixed = re.sub(r"^summary: (.{300}).*$", lambda m: "summary: " + m.group(1).rstrip(), text, count=1, flags=re.M)
    if fixed != text:
        f.write_text(fixed)
PY
  cp -r themes "$work/site-$n/"
  measure "$n" "$work/site-$n"
done
echo
node bench/first-search.js "$work/demo-public"
echo
node bench/first-search.js "$work/1000-public" garden dementia
echo
node bench/first-search.js "$work/10000-public" garden dementia
