#!/usr/bin/env bash
# Installs a released dayopps binary on a GitHub runner, for action.yml. It reads:
#   DAYOPPS_VERSION   `latest`, or a version such as 0.1.0 or v0.1.0
#   DAYOPPS_REPO      owner/name of the repository whose releases hold the binaries
#                     (empty: dayopps/dayopps)
#   DAYOPPS_RELEASES  where those releases are (default https://github.com/$DAYOPPS_REPO/releases)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT, as the runner sets them.
# It downloads the asset for the runner with its .sha256, checks the digest, unpacks the binary
# into a folder of its own, adds that folder to GITHUB_PATH for the steps after it, and prints
# it (also as the step's output `dir`, a path for bash).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=${DAYOPPS_VERSION:-latest}
repo=${DAYOPPS_REPO:-}
if [ -z "$repo" ]; then
  repo=dayopps/dayopps
fi
releases=${DAYOPPS_RELEASES:-https://github.com/$repo/releases}

if [ "$version" = latest ]; then
  url="$releases/latest/download"
elif [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
  version=${version#v}
  url="$releases/download/v$version"
else
  echo "error: version must be \`latest\` or a version such as 0.1.0, not \`$version\`" >&2
  exit 1
fi

asset=$(bash "$here/asset-name.sh" "${RUNNER_OS:-}" "${RUNNER_ARCH:-}")

temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
if command -v cygpath >/dev/null; then
  temp=$(cygpath -u "$temp")
fi
dir="$temp/dayopps/$version"
case "$asset" in
  *.zip) exe=dayopps.exe ;;
  *) exe=dayopps ;;
esac

if [ ! -x "$dir/$exe" ]; then
  download="$temp/dayopps/download-$version"
  rm -rf "$download"
  mkdir -p "$download"
  for file in "$asset" "$asset.sha256"; do
    echo "Downloading $url/$file" >&2
    if ! curl --fail --silent --show-error --location --retry 3 --output "$download/$file" "$url/$file"; then
      echo "error: could not download $url/$file: is there a release $version of $repo with this file?" >&2
      exit 1
    fi
  done

  read -r expected _ <"$download/$asset.sha256" || true
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    echo "error: $asset.sha256 holds no SHA-256 digest" >&2
    exit 1
  fi
  if command -v sha256sum >/dev/null; then
    read -r actual _ < <(sha256sum "$download/$asset")
  else
    read -r actual _ < <(shasum -a 256 "$download/$asset")
  fi
  if [ "$actual" != "$expected" ]; then
    echo "error: $asset has SHA-256 $actual, but its .sha256 file says $expected" >&2
    exit 1
  fi

  rm -rf "$dir"
  mkdir -p "$dir"
  case "$asset" in
    *.zip)
      if command -v unzip >/dev/null; then
        unzip -q -o "$download/$asset" -d "$dir"
      else
        pwsh -NoProfile -Command 'Expand-Archive -Force -Path $args[0] -DestinationPath $args[1]' \
          "$(cygpath -w "$download/$asset")" "$(cygpath -w "$dir")"
      fi
      ;;
    *) tar -xzf "$download/$asset" -C "$dir" ;;
  esac
  rm -rf "$download"
fi

reported=$("$dir/$exe" --version)
echo "Installed $reported in $dir" >&2
if [ "$version" != latest ] && [ "$reported" != "dayopps $version" ]; then
  echo "error: asked for dayopps $version, but the binary says \`$reported\`" >&2
  exit 1
fi

if [ -n "${GITHUB_PATH:-}" ]; then
  if command -v cygpath >/dev/null; then
    cygpath -w "$dir" >>"$GITHUB_PATH"
  else
    echo "$dir" >>"$GITHUB_PATH"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "dir=$dir" >>"$GITHUB_OUTPUT"
fi
echo "$dir"
