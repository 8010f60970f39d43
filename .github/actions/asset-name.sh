#!/usr/bin/env bash
# Prints the name of the release asset for a GitHub runner: asset-name.sh RUNNER_OS RUNNER_ARCH,
# as in the runner's `runner.os` (Linux, macOS, Windows) and `runner.arch` (X64, ARM64, ...).
# The names are those release.yml packages: dayopps-<Rust target>.tar.gz, .zip on Windows.
# Fails, saying which runners are supported, for any other pair.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: asset-name.sh RUNNER_OS RUNNER_ARCH" >&2
  exit 2
fi

case "$1/$2" in
  Linux/X64) echo "dayopps-x86_64-unknown-linux-gnu.tar.gz" ;;
  Linux/ARM64) echo "dayopps-aarch64-unknown-linux-gnu.tar.gz" ;;
  macOS/X64) echo "dayopps-x86_64-apple-darwin.tar.gz" ;;
  macOS/ARM64) echo "dayopps-aarch64-apple-darwin.tar.gz" ;;
  Windows/X64) echo "dayopps-x86_64-pc-windows-msvc.zip" ;;
  *)
    echo "dayopps has no release binary for a $1 runner on $2." >&2
    echo "Supported runners: Linux (X64, ARM64), macOS (X64, ARM64), Windows (X64)." >&2
    echo "On another runner, install it from source: cargo install --locked --git https://github.com/dayopps/dayopps" >&2
    exit 1
    ;;
esac
