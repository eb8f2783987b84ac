#!/bin/bash
# Runs every benchmark under bench/ (by hand: `npm run bench`). Needs hyperfine
# (Debian package `hyperfine`); each script prints its own figures.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
npm run build --silent
only=${1:-}
for b in bench/*.sh bench/*.mjs; do
  [ -e "$b" ] || continue
  case "$b" in bench/run.sh) continue ;; esac
  [ -n "$only" ] && [[ "$b" != *"$only"* ]] && continue
  echo "=== $b"
  case "$b" in
    *.sh) bash "$b" ;;
    *.mjs) node "$b" ;;
  esac
done
