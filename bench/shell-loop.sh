#!/usr/bin/env bash
# Issue 3's runtime benchmark: a 10,000-iteration shell loop that writes and
# reads a file in the container layer, run as a user runs it
# (`mydock run --rm alpine sh -c ...`, CLI start-up and container set-up
# included), against real busybox sh under chroot on a plain directory.
# Target: mydock at most 3x busybox. Both write the file the same way
# (open with O_TRUNC, write, close, then open and read), so the host's own
# cost for that is in both figures.
#
# Needs root (chroot), a statically linked /bin/busybox, hyperfine, and a
# build (`npm run build`).
# Usage: bash bench/shell-loop.sh [iterations] [runs]
set -euo pipefail
N="${1:-10000}"
RUNS="${2:-10}"
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ] || [ ! -x /bin/busybox ] || ! command -v hyperfine >/dev/null; then
  echo "shell-loop: needs root, /bin/busybox and hyperfine" >&2
  exit 1
fi

SCRIPT='i=0; while [ $i -lt '"$N"' ]; do echo "line $i" > /tmp/f; read x < /tmp/f; i=$((i+1)); done; echo "$x"'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/chroot/bin" "$work/chroot/tmp"
cp /bin/busybox "$work/chroot/bin/busybox"
ln -s busybox "$work/chroot/bin/sh"
node bin/mydock.js --root "$work/root" pull alpine >/dev/null

# Both must print the last line; a broken run must not pass for a fast one.
want="line $((N - 1))"
got=$(node bin/mydock.js --root "$work/root" run --rm alpine sh -c "$SCRIPT")
[ "$got" = "$want" ] || { echo "shell-loop: mydock printed '$got', not '$want'" >&2; exit 1; }
got=$(chroot "$work/chroot" /bin/sh -c "$SCRIPT")
[ "$got" = "$want" ] || { echo "shell-loop: busybox printed '$got', not '$want'" >&2; exit 1; }

hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/times.json" \
  -n mydock "node bin/mydock.js --root $work/root run --rm alpine sh -c '$SCRIPT'" \
  -n busybox "chroot $work/chroot /bin/sh -c '$SCRIPT'"
node bench/shell-loop.mjs "$work/times.json"
