#!/usr/bin/env bash
# Many mydock processes at once against one root, as scripts and CI jobs do:
# N `run -d … sleep 300` (half named, half with generated names, plus two
# racing for one name), with concurrent `build`, `rm`, `volume create` and
# `ps -s`. Afterwards every container is recorded once, every name is
# unique, `system check` is clean (when the command exists), and `rm -f`
# leaves no shim running. Prints the checks and the times.
#
#   bash bench/reliability-parallel.sh [N=50]
# Exit status 0 when every check holds. The CI test runs it with a small N.
set -u
N=${1:-50}
REPO=$(cd "$(dirname "$0")/.." && pwd)
# MYDOCK_BIN: a copy of the built CLI, so that a rebuild of dist/ during a long run does not mix versions.
BIN=${MYDOCK_BIN:-$REPO/bin/mydock.js}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mydock-parallel-XXXXXX")
ROOT=$WORK/root
OUT=$WORK/out
mkdir -p "$OUT"
trap 'rm -rf "$WORK"' EXIT
md() { node "$BIN" --root "$ROOT" "$@"; }
fail=0
check() { # name, then a command that succeeds when the check holds
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

md pull -q alpine >/dev/null || { echo "pull failed"; exit 1; }
OLD=5
for i in $(seq 1 $OLD); do md create --name old$i alpine true >/dev/null; done
BUILDS=3
for i in $(seq 1 $BUILDS); do
  mkdir -p "$WORK/ctx$i"
  printf 'FROM alpine\nRUN echo %s > /f\nCOPY a /a\n' "$i" >"$WORK/ctx$i/Dockerfile"
  echo "$i" >"$WORK/ctx$i/a"
done

t0=$(now)
half=$((N / 2))
for i in $(seq 1 "$N"); do
  if [ "$i" -le "$half" ]; then name=(--name "par$i"); else name=(); fi
  (md run -d "${name[@]}" alpine sleep 300 >"$OUT/run$i" 2>"$OUT/run$i.err"; echo $? >"$OUT/run$i.rc") &
done
for d in 1 2; do (md run -d --name dup alpine sleep 300 >"$OUT/dup$d" 2>"$OUT/dup$d.err"; echo $? >"$OUT/dup$d.rc") & done
for i in $(seq 1 $BUILDS); do (md build -q -t "par/b$i" "$WORK/ctx$i" >"$OUT/build$i" 2>&1; echo $? >"$OUT/build$i.rc") & done
for v in 1 2 3 4 5; do for k in 1 2; do (md volume create "pv$v" >"$OUT/vol$v-$k" 2>&1; echo $? >"$OUT/vol$v-$k.rc") & done; done
for i in $(seq 1 $OLD); do (md rm "old$i" >"$OUT/rm$i" 2>&1; echo $? >"$OUT/rm$i.rc") & done
for i in 1 2 3 4 5; do (md ps -a -s >"$OUT/ps$i" 2>&1; echo $? >"$OUT/ps$i.rc") & done
wait
t1=$(now)
echo "concurrent phase: $N runs + 2 racing + $BUILDS builds + 10 volume creates + $OLD rm + 5 ps -s in $(secs "$t0" "$t1")s"

rcs() { cat "$OUT"/$1.rc 2>/dev/null | sort | uniq -c | tr '\n' ' '; }
all_zero() { for f in "$OUT"/$1.rc; do [ "$(cat "$f")" = 0 ] || return 1; done; }
want=$((N + 1))
check "all $N run -d exit 0 ($(rcs 'run*'))" all_zero 'run*'
for i in $(seq 1 "$N"); do
  if [ "$(cat "$OUT/run$i.rc")" != 0 ]; then echo "     run$i: $(head -c 300 "$OUT/run$i.err")"; fi
done
ids() { for f in "$OUT"/run[0-9]* "$OUT"/dup[12]; do case $f in *.rc|*.err) ;; *) cat "$f" ;; esac; done; }
check "each run printed one full ID" test "$(ids | grep -cE '^[0-9a-f]{64}$')" = "$want"
dup_ok=$(cat "$OUT"/dup*.rc | grep -c '^0$')
check "exactly one of two racing --name dup won ($(rcs 'dup*'))" test "$dup_ok" = 1
check "the loser got Docker's conflict" bash -c "cat '$OUT'/dup*.err | grep -q 'Conflict. The container name \"/dup\" is already in use'"
check "builds exit 0 ($(rcs 'build*'))" all_zero 'build*'
check "volume creates exit 0 ($(rcs 'vol*'))" all_zero 'vol*'
check "rm of created containers exit 0 ($(rcs 'rm*'))" all_zero 'rm*'
check "ps -a -s exit 0 ($(rcs 'ps*'))" all_zero 'ps*'

md ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Status}}' >"$WORK/ps.txt"
want=$((N + 1))
check "ps -a lists $want containers (got $(wc -l <"$WORK/ps.txt"))" test "$(wc -l <"$WORK/ps.txt")" = "$want"
check "container IDs unique" test "$(cut -d' ' -f1 "$WORK/ps.txt" | sort -u | wc -l)" = "$want"
check "container names unique" test "$(cut -d' ' -f2 "$WORK/ps.txt" | sort -u | wc -l)" = "$want"
once() { for id in $(ids); do [ "$(grep -c "^$id " "$WORK/ps.txt")" = 1 ] || return 1; done; }
check "every printed ID recorded exactly once" once
check "all running" test "$(grep -c ' Up ' "$WORK/ps.txt")" = "$want"
check "one directory per container under containers/" test "$(ls "$ROOT/containers" | wc -l)" = "$want"
check "no removed container left" bash -c "! grep -q ' old' '$WORK/ps.txt'"
check "5 volumes" test "$(md volume ls -q | grep -c '^pv')" = 5
check "$BUILDS built images tagged" test "$(md images --format '{{.Repository}}' | grep -c '^par/b')" = "$BUILDS"

if md system check >"$WORK/check.txt" 2>&1; then echo "ok   system check clean"
elif grep -q 'not implemented' "$WORK/check.txt"; then echo "skip system check (not implemented yet)"
else echo "FAIL system check"; sed 's/^/     /' "$WORK/check.txt" | head -20; fail=1; fi

pids=$(md ps -aq --no-trunc | while read -r id; do md inspect --format '{{.State.Pid}}' "$id"; done)
t2=$(now)
md rm -f $(md ps -aq) >/dev/null
t3=$(now)
echo "rm -f of $want running containers: $(secs "$t2" "$t3")s"
sleep 1
alive=0
for p in $pids; do
  # A zombie has ended; only a process still running counts.
  if [ "$p" != 0 ] && [ -e "/proc/$p" ] && ! grep -q '^[^)]*) Z' "/proc/$p/stat" 2>/dev/null; then alive=$((alive + 1)); fi
done
check "no shim left running after rm -f ($alive alive of $(echo "$pids" | wc -w))" test "$alive" = 0
check "no container left" test -z "$(md ps -aq)"
exit $fail
