#!/usr/bin/env bash
# Runs `dayopps` with the action's `args`, for action.yml. It reads:
#   DAYOPPS_ARGS  the command line after `dayopps`, such as `check --format github`
#   DAYOPPS_DIR   the folder holding the binary (empty: the first dayopps on PATH)
# The arguments are the words of DAYOPPS_ARGS, split on spaces, tabs and new lines. Nothing
# else is done to them: no quotes, variables, globs or commands are interpreted, so text in
# the args cannot run as a command (and no argument can hold a space).
set -euo pipefail

words=()
read -r -d '' -a words <<<"${DAYOPPS_ARGS:-}" || true
if [ "${#words[@]}" -eq 0 ]; then
  echo "error: the action's \`args\` are empty: give a dayopps command, such as \`check --format github\`" >&2
  exit 2
fi

if [ -n "${DAYOPPS_DIR:-}" ]; then
  exec "$DAYOPPS_DIR/dayopps" "${words[@]}"
fi
exec dayopps "${words[@]}"
