#!/usr/bin/env bash
# Build time and peak memory of dayopps beside Hugo on the same synthetic directories of 1,000
# and 10,000 listings (../shared/bench/gen_listings.py, made into a Hugo site by
# ../shared/bench/to_peers.py), the demo's build, and the bytes of a first search beside
# Pagefind's. Prints Markdown on stdout (progress goes to stderr): paste it into
# bench/RESULTS.md with the commit measured. See bench/README.md.
#
#   bash bench/run.sh                                  # 1,000 and 10,000 listings, 5 runs each
#   BENCH_SIZES=1000 BENCH_RUNS=1 bash bench/run.sh    # a quick try
#   BENCH_SIZES="10000 100000" bash bench/run.sh       # 100,000 too (1 run there: BENCH_RUNS_100000)
#
# Installs what it needs first: Debian's `time` and `hugo` (and Chromium, for Pagefind) when
# missing, and bench/pagefind's pinned npm packages with `npm ci` when node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=${BENCH_RUNS:-5}
sizes=${BENCH_SIZES:-1000 10000}
case "$runs" in '' | *[!0-9]* | 0) echo "bench/run.sh: BENCH_RUNS must be a whole number above 0, not '$runs'" >&2; exit 2 ;; esac
for n in $sizes; do
  case "$n" in '' | *[!0-9]* | 0) echo "bench/run.sh: BENCH_SIZES must hold whole numbers above 0, not '$n'" >&2; exit 2 ;; esac
done
# Sizes ascending, without repeats, so the growth check compares each size with the one before.
sizes=$(printf '%s\n' $sizes | sort -n -u | tr '\n' ' ')
# Runs at size N: BENCH_RUNS_N, or BENCH_RUNS up to 10,000 listings and one run above (a
# 100,000-listing build takes about a minute, and Hugo's longer: five of each, three ways,
# would take the best part of an hour).
runs_at() {
  local var=BENCH_RUNS_$1
  if [ -n "${!var:-}" ]; then echo "${!var}"; elif [ "$1" -le 10000 ]; then echo "$runs"; else echo 1; fi
}
for n in $sizes; do
  case "$(runs_at "$n")" in '' | *[!0-9]* | 0) echo "bench/run.sh: BENCH_RUNS_$n must be a whole number above 0, not '$(runs_at "$n")'" >&2; exit 2 ;; esac
done
# Pagefind's indexing (first search) and the near-me build run at sizes up to these; above,
# Pagefind is left out (it takes minutes at 100,000) and our first search is measured alone.
pagefind_max=${BENCH_PAGEFIND_MAX:-10000}
near_max=${BENCH_NEAR_MAX:-10000}
# examples/rebuild (serve's save-to-shown) runs at sizes up to this: it holds the whole site
# in memory and rebuilds it ten times.
serve_max=${BENCH_SERVE_MAX:-10000}
for v in "$pagefind_max" "$near_max" "$serve_max"; do
  case "$v" in '' | *[!0-9]*) echo "bench/run.sh: BENCH_PAGEFIND_MAX, BENCH_NEAR_MAX and BENCH_SERVE_MAX must be whole numbers, not '$v'" >&2; exit 2 ;; esac
done

gen=$repo/../shared/bench/gen_listings.py
peers=$repo/../shared/bench/to_peers.py
for f in "$gen" "$peers"; do
  [ -f "$f" ] || { echo "bench/run.sh: $f is missing" >&2; exit 2; }
done

say() { echo "bench: $*" >&2; }

. "$repo/tests/lib/apt.sh"

[ -x /usr/bin/time ] || apt_install --no-install-recommends time
# Without recommends: Debian's hugo would bring a Go toolchain along.
command -v hugo >/dev/null 2>&1 || apt_install --no-install-recommends hugo
# Pagefind's first search runs in Debian's Chromium (bench/pagefind/first-search.js).
[ -x /usr/bin/chromium ] || apt_install chromium
# gen_listings.py draws its words from /usr/share/dict/words and, without it, from 27 words
# only: far easier content (every listing matches "garden"), so figures would not compare.
[ -f /usr/share/dict/american-english ] || apt_install --no-install-recommends wamerican
[ -f /usr/share/dict/words ] || { echo "bench/run.sh: /usr/share/dict/words is missing after installing wamerican" >&2; exit 2; }
for tool in python3 node npm cargo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh: needs $tool" >&2; exit 2; }
done
if [ ! -d bench/pagefind/node_modules ]; then
  say "installing bench/pagefind's npm packages"
  (cd bench/pagefind && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
fi

cargo build --release --locked --bin dayopps --example rebuild
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The binary measured, copied so that a rebuild of target/ meanwhile cannot change it mid-run.
cp target/release/dayopps "$work/dayopps"
cp target/release/examples/rebuild "$work/rebuild"

# timed LABEL RUN COMMAND...: runs COMMAND under /usr/bin/time -v and appends "WALL_MS PEAK_KB"
# to $work/LABEL.samples. A failing build's output is printed and the benchmark stops; what a
# successful build prints (warnings) is shown once, on its first run.
timed() {
  local label=$1 run=$2
  shift 2
  local log="$work/$label.log" tf="$work/$label.time" status=0 start end
  start=$(date +%s%N)
  /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1 || status=$?
  end=$(date +%s%N)
  if [ "$status" -ne 0 ]; then
    echo "bench/run.sh: $label failed (exit $status): $*" >&2
    cat "$log" >&2
    exit 1
  fi
  if [ "$run" -eq 1 ] && [ -s "$log" ]; then
    echo "bench: $label printed:" >&2
    head -n 20 "$log" | sed 's/^/    /' >&2
    local lines
    lines=$(wc -l <"$log")
    [ "$lines" -le 20 ] || echo "    ... ($lines lines in all)" >&2
  fi
  local wall_ms=$(((end - start) / 1000000))
  local peak_kb
  peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tf")
  echo "$wall_ms $peak_kb" >>"$work/$label.samples"
  say "$label run $run: $(secs "$wall_ms"), $(mib "$peak_kb")"
}

# settle FILES...: before a timed build (after the last run's output is deleted, if it is). On this
# machine's ext4 (no journal), files created soon after many were deleted cost far more: the
# kernel looks over each recently freed inode before it hands out a new one. 10,000 folders
# with a file each took 11.8, 14.5 and 18.6 s to make in three rounds of delete-and-make, and
# 1.55 s each round once the disk was synced and the page cache dropped in between. So each
# build starts from that settled state, whatever ran before it, and FILES (its input and its
# program) are read back in, so that it does not pay for cold reads either.
caches=kept
settle() {
  sync
  if [ -w /proc/sys/vm/drop_caches ] && echo 1 >/proc/sys/vm/drop_caches 2>/dev/null; then
    caches=dropped
  fi
  find "$@" -type f -exec cat {} + >/dev/null
}

# A build into an empty output folder: the last one's output is deleted first.
dayopps_build() { # LABEL RUN ROOT
  rm -rf "$work/$1-public"
  dayopps_over "$1" "$2" "$3" "$work/$1-public"
}
hugo_build() { # LABEL RUN SOURCE
  rm -rf "$work/$1-public"
  hugo_over "$1" "$2" "$3" "$work/$1-public"
}
# A build over the tool's own last output, as a council's CI runner or a provider's laptop
# builds again: Hugo writes over its files; dayopps builds aside, swaps, and leaves the old
# site to a background process, which is let finish before anything else is timed.
dayopps_over() { # LABEL RUN ROOT OUTPUT
  settle "$3/site.yaml" "$3/content" "$3/themes" "$work/dayopps"
  timed "$1" "$2" "$work/dayopps" build --root "$3" --output "$4"
  local waited=0
  while compgen -G "$(dirname "$4")/.$(basename "$4").*" >/dev/null; do
    if [ "$waited" -ge 1200 ]; then
      echo "bench/run.sh: the site dayopps replaced is still beside $4 after 2 minutes; going on without waiting" >&2
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}
hugo_over() { # LABEL RUN SOURCE OUTPUT
  settle "$3" "$(command -v hugo)"
  timed "$1" "$2" hugo --quiet --source "$3" --destination "$4"
}

# build_one TOOL KIND RUN: one timed build of size $n ($site, or its Hugo copy) by dayopps or
# hugo: into an "empty" output (deleted first), "over" its last output, or into a "new" folder
# of its own.
build_one() {
  local hugo_site=$work/peers-$n/hugo
  case "$1-$2" in
    dayopps-empty) dayopps_build "$n" "$3" "$site" ;;
    hugo-empty) hugo_build "hugo-$n" "$3" "$hugo_site" ;;
    dayopps-over) dayopps_over "$n-over" "$3" "$site" "$work/$n-public" ;;
    hugo-over) hugo_over "hugo-$n-over" "$3" "$hugo_site" "$work/hugo-$n-public" ;;
    dayopps-new) dayopps_over "$n-new" "$3" "$site" "$work/$n-new-$3" ;;
    hugo-new) hugo_over "hugo-$n-new" "$3" "$hugo_site" "$work/hugo-$n-new-$3" ;;
    *) echo "bench/run.sh: no build of kind '$2' for $1" >&2; exit 2 ;;
  esac
}
# build_both KIND RUN: a build by each tool, swapping which goes first each run, so that
# neither always builds on a cooler machine.
build_both() {
  if [ $(($2 % 2)) -eq 1 ]; then
    build_one dayopps "$1" "$2"
    build_one hugo "$1" "$2"
  else
    build_one hugo "$1" "$2"
    build_one dayopps "$1" "$2"
  fi
}

min_wall_ms() { # LABEL
  cut -d' ' -f1 "$work/$1.samples" | sort -n | head -n 1
}
median_wall_ms() { # LABEL
  cut -d' ' -f1 "$work/$1.samples" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
max_peak_kb() { # LABEL
  cut -d' ' -f2 "$work/$1.samples" | sort -n | tail -n 1
}
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f MiB", kb / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
at_most() { awk -v x="$1" -v max="$2" 'BEGIN { exit !(x <= max) }'; }

# The demo: dayopps only.
say "demo"
demo_listings=$(find content/listings -maxdepth 1 \( -name '*.md' -o -name '*.yaml' -o -name '*.yml' \) | wc -l)
for run in $(seq "$runs"); do dayopps_build demo "$run" "$repo"; done

# --- Pagination for Hugo's peer site (issue #28) ---------------------------------------------
# dayopps lists at most 50 services a page on a facet value and the A to Z, so Hugo's site
# paginates too, for a fair race: its term and section lists (layouts/_default/list.html) list
# 50 services a page through .Paginate and print Hugo's built-in pager, at /needs/x/page/2/. The
# page size is `paginate` before Hugo 0.128 (Debian's is 0.111) and `[pagination] pagerSize`
# from then on.
hugo_paginate() { # HUGO_SITE
  local site=$1 minor list=$1/layouts/_default/list.html
  minor=$(hugo version | sed -n 's/^hugo v0\.\([0-9]*\)\..*/\1/p')
  if [ "${minor:-0}" -ge 128 ]; then
    printf '\n[pagination]\npagerSize = 50\n' >>"$site/hugo.toml"
  else
    # A top-level key: before the first [table] of the file.
    { echo 'paginate = 50'; cat "$site/hugo.toml"; } >"$site/hugo.toml.new"
    mv "$site/hugo.toml.new" "$site/hugo.toml"
  fi
  grep -q '{{ range .Pages }}' "$list" && grep -q '</ul></main>' "$list" ||
    { echo "bench/run.sh: $list is not the list template hugo_paginate knows" >&2; exit 2; }
  sed -i -e 's/{{ range .Pages }}/{{ range (.Paginate .Pages).Pages }}/' \
    -e 's#</ul></main>#</ul>{{ template "_internal/pagination.html" . }}</main>#' "$list"
}
# ----------------------------------------------------------------------------------------------

for n in $sizes; do
  site=$work/site-$n
  say "generating $n listings"
  python3 "$gen" "$site" "$n" >/dev/null
  python3 "$repo/bench/cut_summaries.py" "$site/content/listings"
  cp -r themes "$site/"
  # The Hugo site is made from the fixed listings, so both build the same text.
  python3 "$peers" "$site" "$work/peers-$n"
  hugo_paginate "$work/peers-$n/hugo"
  size_runs=$(runs_at "$n")
  for run in $(seq "$size_runs"); do build_both empty "$run"; done
  say "building $n listings again, over the last output"
  for run in $(seq "$size_runs"); do build_both over "$run"; done
  # Deleted before the minute's wait, so the disk holds one output of each tool at a time
  # (dayopps' site is 6.4 GB at 100,000 listings); the first "new" output takes its place.
  rm -rf "$work/$n-public" "$work/hugo-$n-public"
  # Into a new folder, with nothing deleted for a minute before: as on a CI runner that starts
  # from a clean checkout, and as on ext4 with a journal (most machines), which never looks
  # over recently freed inodes (see settle). Without a journal, ext4 passes over inodes freed
  # in the last 60 s, so the outputs made here are deleted only after the last of these runs.
  say "building $n listings into new folders, after a minute with nothing deleted"
  sync
  sleep 65
  for run in $(seq "$size_runs"); do build_both new "$run"; done
  mv "$work/$n-new-1" "$work/$n-public"
  rm -rf "$work/$n-new-"* "$work/hugo-$n-new-"*
  if [ "$n" -le "$serve_max" ]; then
    say "serve: rebuilding after one listing of $n is saved"
    "$work/rebuild" "$site" 10 >"$work/rebuild-$n.row"
  fi
  rm -rf "$work/peers-$n"
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi
hugo_version=$(hugo version | awk '{ print $2 }')

echo "dayopps at $commit beside Hugo $hugo_version, $(nproc) cores, $(date -u +%Y-%m-%d)."
runs_note=""
for n in $sizes; do runs_note="$runs_note, $(runs_at "$n") at $n"; done
echo "Wall time: median of the runs ($runs of the demo$runs_note), and the fastest; peak memory: the largest maximum resident set size of them."
if [ "$caches" = dropped ]; then
  echo "Before each build: the disk synced, the page cache dropped, the build's input and program read back in. \"empty output\": the last output deleted first; \"over the last output\": kept, as when a site is built again (dayopps's removal of the site it replaced, in the background, was let finish before the next build); \"new folder\": a folder of its own for each build, with nothing deleted in the minute before the first (as on a fresh CI runner, or on ext4 with a journal: see bench/README.md)."
else
  echo "Before each build: the disk synced; the page cache could not be dropped (not root?), so a build may pay for the work before it (bench/README.md). \"empty output\": the last output deleted first; \"over the last output\": kept; \"new folder\": a new one each build, nothing deleted in the minute before."
fi
echo
echo "| listings | dayopps wall | dayopps peak | Hugo wall | Hugo peak | time vs Hugo | fastest vs fastest | memory vs Hugo | dayopps ms per listing |"
echo "|---|---|---|---|---|---|---|---|---|"
w=$(median_wall_ms demo)
p=$(max_peak_kb demo)
echo "| demo ($demo_listings) | $(secs "$w") | $(mib "$p") | - | - | - | - | - | $(awk -v ms="$w" -v n="$demo_listings" 'BEGIN { printf "%.2f", ms / n }') |"
budgets=()
# compare N LABEL HUGO_LABEL WHAT: a row of the table, and the budgets' verdicts.
compare() {
  local n=$1 label=$2 hugo=$3 what=$4
  local w p hw hp tr fr mr verdict
  w=$(median_wall_ms "$label")
  p=$(max_peak_kb "$label")
  hw=$(median_wall_ms "$hugo")
  hp=$(max_peak_kb "$hugo")
  tr=$(ratio "$w" "$hw")
  fr=$(ratio "$(min_wall_ms "$label")" "$(min_wall_ms "$hugo")")
  mr=$(ratio "$p" "$hp")
  echo "| $n, $what | $(secs "$w") | $(mib "$p") | $(secs "$hw") | $(mib "$hp") | ${tr}x | ${fr}x | ${mr}x | $(awk -v ms="$w" -v n="$n" 'BEGIN { printf "%.2f", ms / n }') |"
  if at_most "$tr" 0.5; then verdict=PASS; else verdict=FAIL; fi
  budgets+=("- $verdict: $n listings, $what, build in ${tr}x Hugo's wall time (budget: at most 0.5x)")
  if at_most "$mr" 0.5; then verdict=PASS; else verdict=FAIL; fi
  budgets+=("- $verdict: $n listings, $what, build in ${mr}x Hugo's peak memory (budget: at most 0.5x)")
}
for n in $sizes; do
  compare "$n" "$n" "hugo-$n" "empty output"
  compare "$n" "$n-over" "hugo-$n-over" "over the last output"
  compare "$n" "$n-new" "hugo-$n-new" "new folder"
done
echo
smaller=""
for n in $sizes; do
  if [ -n "$smaller" ]; then
    gr=$(ratio "$(median_wall_ms "$n")" "$(median_wall_ms "$smaller")")
    # 11x for 10x the listings: linear growth with 10% to spare.
    limit=$(awk -v a="$n" -v b="$smaller" 'BEGIN { printf "%.2f", 1.1 * a / b }')
    echo "Time at $n listings / time at $smaller: ${gr}x"
    if at_most "$gr" "$limit"; then verdict=PASS; else verdict=FAIL; fi
    budgets+=("- $verdict: cost grows linearly, $n listings take ${gr}x the time of $smaller (budget: at most ${limit}x)")
  fi
  smaller=$n
done
[ "$(printf '%s\n' $sizes | wc -l)" -gt 1 ] || echo "Time growth: not measured (needs two sizes in BENCH_SIZES)"
echo
echo "dayopps serve: saving one listing, then rebuilding in memory (examples/rebuild: 10 saves). The pages are served, and open pages told to reload, when the rebuild is done; the search index follows, made on a thread of its own (requests for it wait), and the exports and the live API's lookups on threads of theirs. The watcher adds its 20 ms quiet period to both."
echo
echo "| listings | first build | rebuild, median | rebuild, slowest | search index ready, median |"
echo "|---|---|---|---|---|"
for n in $sizes; do
  [ -f "$work/rebuild-$n.row" ] || { echo "| $n | not measured (above BENCH_SERVE_MAX, $serve_max) | | | |"; continue; }
  cat "$work/rebuild-$n.row"
  ms=$(awk -F'|' '{ gsub(/[^0-9]/, "", $4); print $4 }' "$work/rebuild-$n.row")
  if [ "$n" -le 10000 ]; then
    if at_most "$((ms + 20))" 150; then verdict=PASS; else verdict=FAIL; fi
    budgets+=("- $verdict: serve shows a saved listing of $n in $((ms + 20)) ms, rebuild and quiet period (budget: 150 ms, up to 10,000 listings)")
  fi
done
echo
printf '%s\n' "${budgets[@]}"

# First search, ours beside Pagefind's. Run from $work so the tables name demo-public rather
# than a temporary path; TMPDIR so that Pagefind's copies of the site go where the trap cleans.
say "first search on the demo"
echo
(cd "$work" && TMPDIR="$work" node "$repo/bench/first-search.js" --pagefind demo-public)
# One common word, another, two very common words together (which a pair file answers), and
# three (which their pairs' files answer when the best in each two are not the best in all
# three, as for the first, and do not, as for the second: docs/search.md).
queries=(garden dementia "garden cooking" "dementia saturday" "dementia saturday garden" "garden cooking travel")
for n in $sizes; do
  echo
  if [ "$n" -le "$pagefind_max" ]; then
    say "first search at $n listings (Pagefind indexes a copy of the site: a minute at 10,000)"
    (cd "$work" && TMPDIR="$work" node "$repo/bench/first-search.js" --pagefind "$n-public" "${queries[@]}")
  else
    say "first search at $n listings, without Pagefind (above BENCH_PAGEFIND_MAX, $pagefind_max)"
    echo "At $n listings, Pagefind is not measured (above BENCH_PAGEFIND_MAX, $pagefind_max)."
    echo
    (cd "$work" && node "$repo/bench/first-search.js" "$n-public" "${queries[@]}")
  fi
  [ "$n" -le "$near_max" ] || continue
  # Near me: the same site with a postcode table (bench/near_table.py), outside the timed
  # builds above, whose site is Hugo's too. The table prints the plain first search and the
  # same search sorted by distance, with what sorting costs over it.
  say "near-me first search at $n listings"
  cp -r "$work/site-$n" "$work/near-$n"
  python3 "$repo/bench/near_table.py" "$work/near-$n"
  if ! "$work/dayopps" build --root "$work/near-$n" --output "$work/$n-near-public" >"$work/near-$n.log" 2>&1; then
    cat "$work/near-$n.log" >&2
    exit 1
  fi
  echo
  (cd "$work" && node "$repo/bench/first-search.js" "$n-near-public" garden dementia)
done
