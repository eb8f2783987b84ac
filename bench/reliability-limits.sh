#!/usr/bin/env bash
# Sizes at and past Docker's limits, with their times: a 1GB file written in
# a container and committed, 100,000 files in one layer, 120 layers in one
# image (and 130, past overlay2's 125: Docker fails with "max depth
# exceeded"), a 10,000-deep directory. Where Docker has a limit mydock must
# give a clear error; where it has none, no crash. `system check` after each.
#
#   bash bench/reliability-limits.sh [only]   (only: big|many|layers|deep)
# Needs about 4GB free in TMPDIR.
set -u
ONLY=${1:-all}
REPO=$(cd "$(dirname "$0")/.." && pwd)
# MYDOCK_BIN: a copy of the built CLI, so that a rebuild of dist/ during a long run does not mix versions.
BIN=${MYDOCK_BIN:-$REPO/bin/mydock.js}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mydock-limits-XXXXXX")
ROOT=$WORK/root
trap 'rm -rf "$WORK"' EXIT
md() { node "$BIN" --root "$ROOT" "$@"; }
fail=0
timed() { # label, then the command; prints time and status, keeps output in $WORK/last
  local label=$1; shift
  local t0 t1 rc
  t0=$(date +%s.%N)
  "$@" >"$WORK/last" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  printf '%-58s %8.2fs  exit %s\n' "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$rc"
  return $rc
}
crashed() { grep -qE '^\s+at .+:[0-9]+:[0-9]+|RangeError|Maximum call stack|heap out of memory|FATAL ERROR' "$WORK/last"; }
expect_ok() { if [ "$1" != 0 ] || crashed; then echo "FAIL $2"; sed 's/^/     /' "$WORK/last" | tail -8; fail=1; fi; }
syscheck() { timed "  system check" md system check; expect_ok $? "system check after $1"; }
want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

md pull -q alpine >/dev/null || exit 1

if want big; then
  echo "== 1GB file in a container, committed"
  timed "run: dd 1GB into /big" md run --name big alpine sh -c 'dd if=/dev/zero of=/big bs=1M count=1024'; expect_ok $? "1GB write"
  timed "ps -a -s" md ps -a -s; expect_ok $? "ps -s"; grep big "$WORK/last" | sed 's/  */ /g; s/^/  /'
  timed "commit" md commit big limits/big:1; expect_ok $? "commit 1GB"
  timed "images" md images limits/big; grep limits "$WORK/last" | sed 's/  */ /g; s/^/  /'
  timed "run --rm on the image: wc -c /big" md run --rm limits/big:1 wc -c /big; expect_ok $? "read 1GB"; sed 's/^/  /' "$WORK/last"
  syscheck big
  md rm -f big >/dev/null; md rmi limits/big:1 >/dev/null
fi

if want many; then
  echo "== 100,000 files in one layer"
  mkdir -p "$WORK/ctx-many/files"
  (cd "$WORK/ctx-many/files" && seq 1 100000 | sed 's/^/f/' | xargs touch)
  printf 'FROM alpine\nCOPY files /files\n' >"$WORK/ctx-many/Dockerfile"
  timed "build: COPY of 100,000 files" md build -q -t limits/many:1 "$WORK/ctx-many"; expect_ok $? "build 100k files"
  timed "history" md history limits/many:1; expect_ok $? "history"; sed -n 2p "$WORK/last" | sed 's/  */ /g; s/^/  /'
  timed "run --rm: ls /files | wc -l" md run --rm limits/many:1 sh -c 'ls /files | wc -l'; expect_ok $? "ls 100k"; sed 's/^/  /' "$WORK/last"
  timed "run: rm -r /files (100,000 whiteouts under one dir)" md run --name many limits/many:1 rm -r /files; expect_ok $? "rm 100k"
  timed "diff (one deleted directory)" md diff many; expect_ok $? "diff"; head -3 "$WORK/last" | sed 's/^/  /'
  timed "commit" md commit many limits/many:2; expect_ok $? "commit"
  timed "run: shell loop creating 10,000 files" md run --rm alpine sh -c 'mkdir /m; i=0; while [ $i -lt 10000 ]; do : > /m/f$i; i=$((i+1)); done'; expect_ok $? "shell loop"
  syscheck many
  md rm -f many >/dev/null; md rmi limits/many:2 limits/many:1 >/dev/null
fi

if want layers; then
  echo "== 120 layers, then 130 (overlay2: 125)"
  for n in 120 130; do
    mkdir -p "$WORK/ctx-$n"
    { echo 'FROM alpine'; for i in $(seq 1 "$n"); do echo "RUN echo $i > /l$i"; done; } >"$WORK/ctx-$n/Dockerfile"
  done
  timed "build: 120 RUN steps (121 layers)" md build -q -t limits/l120 "$WORK/ctx-120"; expect_ok $? "120 layers"
  timed "run --rm on 121 layers: cat /l1 /l120" md run --rm limits/l120 cat /l1 /l120; expect_ok $? "run on 121 layers"; tr '\n' ' ' <"$WORK/last" | sed 's/^/  /'; echo
  timed "history | wc -l" md history -q limits/l120; echo "  $(wc -l <"$WORK/last") rows"
  timed "build: 130 RUN steps (Docker: max depth exceeded)" md build -q -t limits/l130 "$WORK/ctx-130"; rc=$?
  if [ $rc = 0 ]; then echo "NOTE 130 layers built: Docker's overlay2 refuses past 125 (\"max depth exceeded\")"; fail=1
  elif crashed; then echo "FAIL 130 layers: crash"; tail -5 "$WORK/last"; fail=1
  else echo "  $(tail -1 "$WORK/last")"; fi
  syscheck layers
fi

if want deep; then
  echo "== a 10,000-deep directory"
  timed "run: mkdir+cd 10,000 times" md run --name deep alpine sh -c 'i=0; while [ $i -lt 10000 ]; do mkdir d && cd d || exit 1; i=$((i+1)); done; echo made'; rc=$?
  if crashed; then echo "FAIL deep dir: crash"; tail -5 "$WORK/last"; fail=1; else echo "  $(tail -2 "$WORK/last" | tr '\n' ' ')"; fi
  timed "diff" md diff deep; rc=$?; if crashed; then echo "FAIL diff: crash"; tail -3 "$WORK/last"; fail=1; else echo "  $(wc -l <"$WORK/last") lines, exit $rc"; fi
  timed "commit" md commit deep limits/deep:1; rc=$?; if crashed; then echo "FAIL commit: crash"; tail -3 "$WORK/last"; fail=1; else echo "  $(tail -1 "$WORK/last")"; fi
  timed "export | wc -c" bash -c "node '$BIN' --root '$ROOT' export deep | wc -c"; if crashed; then echo "FAIL export: crash"; tail -3 "$WORK/last"; fail=1; else echo "  $(tail -1 "$WORK/last") bytes"; fi
  timed "rm -f" md rm -f deep; expect_ok $? "rm deep"
  syscheck deep
fi
exit $fail
