#!/usr/bin/env bash
# Packs a release binary as release.yml attaches it: package.sh TARGET BINARY OUTDIR writes
#   OUTDIR/dayopps-TARGET.tar.gz (.zip for a Windows target), holding the binary (dayopps, or
#   dayopps.exe) with the README and any licence file at the top, no folder around them;
#   OUTDIR/dayopps-TARGET.tar.gz.sha256, its SHA-256 as `sha256sum` prints it.
# The asset's name has no version in it, so releases/latest/download/<asset> always works.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: package.sh TARGET BINARY OUTDIR" >&2
  exit 2
fi
target=$1
binary=$2
outdir=$3
repo=$(cd "$(dirname "$0")/../.." && pwd)

case "$target" in
  *-windows-*) ext=zip exe=dayopps.exe ;;
  *) ext=tar.gz exe=dayopps ;;
esac
asset="dayopps-$target.$ext"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/$exe"
chmod +x "$stage/$exe"
for doc in README.md LICENSE LICENSE.md LICENSE.txt LICENSE-MIT LICENSE-APACHE COPYING; do
  if [ -f "$repo/$doc" ]; then
    cp "$repo/$doc" "$stage/"
  fi
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -f "$outdir/$asset" "$outdir/$asset.sha256"
(
  cd "$stage"
  if [ "$ext" = zip ]; then
    if command -v zip >/dev/null; then
      zip -q -r "$outdir/$asset" .
    else
      # Windows runners have 7-Zip but no zip in Git's bash.
      7z a -tzip -bso0 "$outdir/$asset" .
    fi
  else
    tar -czf "$outdir/$asset" *
  fi
)

(
  cd "$outdir"
  if command -v sha256sum >/dev/null; then
    sha256sum "$asset" >"$asset.sha256"
  else
    shasum -a 256 "$asset" >"$asset.sha256"
  fi
)
echo "$outdir/$asset"
