#!/usr/bin/env bash
# A 10,000-iteration shell loop that writes and reads a file, under mydock's
# shell and under real busybox sh (chroot, needs root and /bin/busybox).
# Run by hand: bash bench/shell-loop.sh [iterations]
set -euo pipefail
N="${1:-10000}"
SCRIPT='i=0; while [ $i -lt '"$N"' ]; do echo "line $i" > /tmp/f; read x < /tmp/f; i=$((i+1)); done; echo "$x"'
HERE="$(cd "$(dirname "$0")/.." && pwd)"

echo "== mydock sh ($N iterations)"
start=$(date +%s.%N)
node "$HERE/bench/shell-loop.mjs" "$SCRIPT"
end=$(date +%s.%N)
echo "mydock: $(echo "$end - $start" | bc) s"

if [ "$(id -u)" = 0 ] && [ -x /bin/busybox ]; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  echo "== busybox sh ($N iterations)"
  start=$(date +%s.%N)
  chroot "$root" /bin/sh -c "$SCRIPT"
  end=$(date +%s.%N)
  echo "busybox: $(echo "$end - $start" | bc) s"
else
  echo "busybox reference skipped: needs root and /bin/busybox"
fi
