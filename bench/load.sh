#!/usr/bin/env bash
# Load test of `dayopps serve --production` on loopback: generates a directory of LOAD_SIZE
# synthetic services (../shared/bench/gen_listings.py), serves it with the release binary,
# and runs examples/loadtest.rs against it: LOAD_CLIENTS clients for LOAD_SECONDS seconds over
# pages, API lists and objects and searches. Prints a Markdown table (requests per second,
# p50/p99 latency, errors) and the server's peak memory; progress goes to stderr. Exits
# non-zero if any request failed.
#
#   bash bench/load.sh                               # 10,000 services, 16 clients, 30 s
#   LOAD_SIZE=1000 LOAD_SECONDS=10 bash bench/load.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

size=${LOAD_SIZE:-10000}
clients=${LOAD_CLIENTS:-16}
seconds=${LOAD_SECONDS:-30}
workers=${LOAD_WORKERS:-}
for v in "$size" "$clients" "$seconds" ${workers:+"$workers"}; do
  case "$v" in '' | *[!0-9]* | 0) echo "bench/load.sh: LOAD_* must be whole numbers above 0, not '$v'" >&2; exit 2 ;; esac
done

gen=$repo/../shared/bench/gen_listings.py
[ -f "$gen" ] || { echo "bench/load.sh: $gen is missing" >&2; exit 2; }
. "$repo/tests/lib/apt.sh"
# The generator's own 27 words make every listing match every search: real words compare.
[ -f /usr/share/dict/words ] || apt_install --no-install-recommends wamerican

say() { echo "load: $*" >&2; }

cargo build --release --locked --bin dayopps --example loadtest
target=${CARGO_TARGET_DIR:-$repo/target}
work=$(mktemp -d)
server=
stop() {
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "generating $size services"
python3 "$gen" "$work/site" "$size" >&2
python3 "$repo/bench/cut_summaries.py" "$work/site/content/listings"

say "starting dayopps serve --production (it builds the site in memory first)"
"$target/release/dayopps" serve --production \
  --root "$work/site" --port 0 ${workers:+--workers "$workers"} \
  >"$work/requests.log" 2>"$work/server.log" &
server=$!
address=
for _ in $(seq 1 600); do
  address=$(sed -n 's|.* on http://\([^/]*\)/.*|\1|p' "$work/server.log")
  [ -n "$address" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$address" ] || { echo "bench/load.sh: the server did not start" >&2; exit 1; }
grep -h "^Built" "$work/server.log" >&2

"$target/release/examples/loadtest" "$address" "$clients" "$seconds" | tee "$work/table"

# The peak memory (the build in memory at start, or the answers under load), before it ends.
peak=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status")
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=
[ "$status" = 0 ] || { echo "bench/load.sh: the server exited with $status on SIGTERM" >&2; exit 1; }
logged=$(wc -l <"$work/requests.log")
echo
echo "Server: $(grep -h '^Built' "$work/server.log"); peak memory $((peak / 1024)) MB;" \
  "$logged requests logged; exited 0 on SIGTERM."
# The last column of the table's last row is the errors of all requests.
errors=$(grep '^| \*\*all\*\*' "$work/table" | awk -F'|' '{gsub(/ /, "", $8); print $8}')
[ "$errors" = 0 ] || { echo "bench/load.sh: $errors requests failed" >&2; exit 1; }
