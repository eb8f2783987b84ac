#!/bin/bash
# Build-context benchmark (by hand): a context of 10,000 small files plus one
# 50MB file, `COPY . /app` then a RUN. Times an uncached build, a fully
# cached rebuild and a rebuild after touching one file's content, for mydock
# and, when a Docker daemon answers on $DOCKER_HOST, Docker's classic builder.
# BASE is the base image (default alpine for mydock; set DOCKER_BASE for Docker).
set -uo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-10000}
BIG_MB=${BIG_MB:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/mydock-bench-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
ctx="$work/ctx"
mkdir -p "$ctx/files"
node -e '
  const fs = require("fs");
  const [dir, n, mb] = process.argv.slice(1);
  for (let i = 0; i < +n; i++) {
    const sub = `${dir}/files/d${i % 100}`;
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(`${sub}/f${i}.txt`, `file ${i}\n`.repeat(8));
  }
  fs.writeFileSync(`${dir}/big.bin`, Buffer.alloc(+mb * 1024 * 1024, 7));
' "$ctx" "$FILES" "$BIG_MB"

measure() { # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { echo "$label: failed"; cat "$work/err"; return; }
  end=$(date +%s.%N)
  printf '%-40s %8.2fs\n' "$label" "$(echo "$end - $start" | bc)"
}

run_suite() { # name, cli...
  local name=$1; shift
  printf 'FROM %s\nCOPY . /app\nRUN ls /app > /listing.txt\n' "$BASE" > "$ctx/Dockerfile"
  measure "$name: uncached build" "$@" build -q --no-cache -t "$tag" "$ctx"
  measure "$name: cached rebuild" "$@" build -q -t "$tag" "$ctx"
  echo "changed $(date +%s%N)" > "$ctx/files/d0/f0.txt"
  measure "$name: rebuild after one file changed" "$@" build -q -t "$tag" "$ctx"
}

root="$work/root"
# A daemon may be shared: a tag of this run's own, removed at the end.
tag="bench-build-$$:1"
BASE=${MYDOCK_BASE:-alpine} run_suite mydock node bin/mydock.js --root "$root"

if [ -n "${DOCKER_HOST:-}" ] && docker info >/dev/null 2>&1; then
  BASE=${DOCKER_BASE:-bbase:1} DOCKER_BUILDKIT=0 run_suite docker docker
  docker rmi "$tag" >/dev/null 2>&1 || true
else
  echo "docker: no daemon on \$DOCKER_HOST, skipped"
fi
