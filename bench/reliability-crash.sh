#!/usr/bin/env bash
# kill -9 of the mydock process at random moments during pull, build, run,
# exec, commit, cp and rm (round robin). After each kill: the root opens
# (`images`, `ps -a` exit 0), `system check` is clean or `system check
# --repair` makes it clean, and the data that was committed before the kill
# is intact: the images' IDs and layer DiffIDs (and `system check`, which
# re-hashes every layer against its DiffID), and a volume's files by hash.
#
#   bash bench/reliability-crash.sh [ITERATIONS=200] [MAX_DELAY_MS=900]
# Prints one line per kill that needed a repair or broke something, then the
# figures. Exit status 0 when every iteration ended with a clean root.
set -u
ITER=${1:-200}
MAXDELAY=${2:-900}
REPO=$(cd "$(dirname "$0")/.." && pwd)
# MYDOCK_BIN: a copy of the built CLI, so that a rebuild of dist/ during a long run does not mix versions.
BIN=${MYDOCK_BIN:-$REPO/bin/mydock.js}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mydock-crash-XXXXXX")
ROOT=$WORK/root
trap 'node "$BIN" --root "$ROOT" rm -f $(node "$BIN" --root "$ROOT" ps -aq 2>/dev/null) >/dev/null 2>&1; rm -rf "$WORK"' EXIT
md() { node "$BIN" --root "$ROOT" "$@"; }

# ---- data that must survive -------------------------------------------------
md pull -q alpine >/dev/null && md pull -q busybox >/dev/null || { echo "pull failed"; exit 1; }
md volume create keep >/dev/null
md run --rm -v keep:/d alpine sh -c 'for i in 1 2 3 4 5; do echo "line $i" > /d/f$i; done; dd if=/dev/zero of=/d/big bs=1k count=512 2>/dev/null' || exit 1
mkdir -p "$WORK/ctx"
printf 'FROM alpine\nRUN echo keep > /keep\nCOPY a /a\n' >"$WORK/ctx/Dockerfile"
head -c 100000 /dev/urandom >"$WORK/ctx/a"
md build -q -t keep:build "$WORK/ctx" >/dev/null || exit 1
md run -d --name keepc alpine sleep 100000 >/dev/null
md exec keepc sh -c 'echo committed > /c' || exit 1
md commit keepc keep:commit >/dev/null || exit 1
head -c 3000000 /dev/urandom >"$WORK/blob"
# The build context for the build operation: several layers.
mkdir -p "$WORK/bctx"
printf 'FROM alpine\nRUN dd if=/dev/zero of=/x bs=1k count=3000\nCOPY blob /blob\nRUN echo a > /a\nRUN rm /x\n' >"$WORK/bctx/Dockerfile"
cp "$WORK/blob" "$WORK/bctx/blob"

fingerprint() {
  for img in alpine busybox keep:build keep:commit; do md image inspect --format "$img {{.Id}} {{.RootFS.Layers}}" "$img" 2>&1; done
  (cd "$ROOT/volumes/keep/_data" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
fingerprint >"$WORK/before"
md system check >/dev/null || { echo "system check not clean before the first kill"; md system check; exit 1; }

# ---- the operations ------------------------------------------------------------
OPS=(pull build run exec commit cp rm)
prepare() { # state each operation needs, made before the timer starts
  case $1 in
    pull) md rmi -f ubuntu:18.04 >/dev/null 2>&1 ;;
    exec) md ps -q --filter name=^ex$ | grep -q . || md run -d --name ex alpine sleep 100000 >/dev/null 2>&1 ;;
    rm) md run -d --name victim$2 alpine sh -c 'dd if=/dev/zero of=/w bs=1k count=2000; sleep 1000' >/dev/null 2>&1 ;;
  esac
}
command_for() {
  case $1 in
    pull) echo pull ubuntu:18.04 ;;
    build) echo build -q --no-cache "$WORK/bctx" ;;
    run) echo run --name run$2 alpine sh -c 'dd if=/dev/zero of=/big bs=1k count=3000; echo done' ;;
    exec) echo exec ex sh -c "dd if=/dev/zero of=/f$2 bs=1k count=3000" ;;
    commit) echo commit keepc crash/commit:$2 ;;
    cp) if [ $(($2 % 2)) = 0 ]; then echo cp "$WORK/blob" keepc:/tmp/blob$2; else echo cp keepc:/etc "$WORK/out$2"; fi ;;
    rm) echo rm -f victim$2 ;;
  esac
}

clean=0 repaired=0 broken=0 opened_fail=0 lost=0
declare -A per_op_repair
t0=$(date +%s)
for i in $(seq 1 "$ITER"); do
  op=${OPS[$(((i - 1) % ${#OPS[@]}))]}
  prepare "$op" "$i"
  read -r -a args <<<"$(command_for "$op" "$i")"
  delay=$((RANDOM % MAXDELAY))
  node "$BIN" --root "$ROOT" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
  kill -9 "$pid" 2>/dev/null && killed=yes || killed="no (done)"
  wait "$pid" 2>/dev/null
  if ! md images >/dev/null 2>"$WORK/err" || ! md ps -a >/dev/null 2>>"$WORK/err"; then
    opened_fail=$((opened_fail + 1))
    echo "#$i $op after ${delay}ms: the root does not open: $(head -c 300 "$WORK/err")"
  fi
  if md system check >"$WORK/check" 2>&1; then
    clean=$((clean + 1))
  else
    md system check --repair >"$WORK/repair" 2>&1
    if md system check >"$WORK/check2" 2>&1; then
      repaired=$((repaired + 1))
      per_op_repair[$op]=$((${per_op_repair[$op]:-0} + 1))
      echo "#$i $op killed=$killed after ${delay}ms: repaired: $(grep -v '^$' "$WORK/check" | head -3 | tr '\n' '|')"
    else
      broken=$((broken + 1))
      echo "#$i $op killed=$killed after ${delay}ms: NOT repairable:"
      sed 's/^/     /' "$WORK/check2" | head -10
      # So that later iterations start from a clean root: remove a container
      # directory left without its record (a create cut short), which repair
      # does not do, then repair again.
      for d in "$ROOT"/containers/*/; do [ -f "$d/config.v2.json" ] || rm -rf "$d"; done
      md system check --repair >/dev/null 2>&1
      md system check >/dev/null 2>&1 || { echo "     still not clean after removing record-less container directories; stopping"; break; }
    fi
  fi
  fingerprint >"$WORK/after"
  if ! cmp -s "$WORK/before" "$WORK/after"; then
    lost=$((lost + 1))
    echo "#$i $op after ${delay}ms: committed data changed:"
    diff "$WORK/before" "$WORK/after" | head -10 | sed 's/^/     /'
  fi
  # Keep the root small: drop what the operations made (not the kept data).
  if [ $((i % 7)) = 0 ]; then
    md rm -f $(md ps -aq --filter name=run --filter name=victim) >/dev/null 2>&1
    md rmi -f $(md images -q crash/commit) >/dev/null 2>&1
    md image prune -f >/dev/null 2>&1
    rm -rf "$WORK"/out*
  fi
done
t1=$(date +%s)
echo
echo "iterations: $ITER in $((t1 - t0))s (delays 0-${MAXDELAY}ms)"
echo "clean after kill: $clean; repaired by system check --repair: $repaired; not repairable: $broken"
echo "root did not open: $opened_fail; committed data changed: $lost"
for op in "${OPS[@]}"; do printf '  repairs after %-7s %s\n' "$op:" "${per_op_repair[$op]:-0}"; done
[ "$broken" = 0 ] && [ "$opened_fail" = 0 ] && [ "$lost" = 0 ]
