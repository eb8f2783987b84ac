#!/bin/bash
# Creating 200 containers on one image: time per container and disk used,
# overlay2 (a container costs an empty writable layer) against vfs (a
# container costs a full copy of the image's tree).
# Usage: bash bench/containers-create.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
M="node bin/mydock.js"
for driver in overlay2 vfs; do
  root=$(mktemp -d /tmp/mydock-bench-create.XXXXXX)
  $M --root "$root/r" --storage-driver "$driver" run --rm busybox true >/dev/null 2>&1
  before=$(du -sb "$root/r" | cut -f1)
  start=$(date +%s%N)
  for i in $(seq 1 "$N"); do $M --root "$root/r" create busybox sh >/dev/null; done
  end=$(date +%s%N)
  after=$(du -sb "$root/r" | cut -f1)
  ms=$(( (end - start) / 1000000 ))
  printf '%-8s %d containers: %d ms total, %d ms per container (CLI start-up included), disk +%d bytes (%d per container)\n' \
    "$driver" "$N" "$ms" $((ms / N)) $((after - before)) $(((after - before) / N))
  rm -rf "$root"
done
