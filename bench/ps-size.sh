#!/bin/bash
# `ps -a -s` with 1000 containers: SIZE comes from the figure cached in each
# record when its last process ended, so listing walks no layer.
# Usage: bash bench/ps-size.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
M="node bin/mydock.js"
root=$(mktemp -d /tmp/mydock-bench-ps.XXXXXX)
trap 'rm -rf "$root"' EXIT
$M --root "$root/r" run --rm busybox true >/dev/null 2>&1
# Creating through the engine in one process: 1000 CLI start-ups would dominate the set-up.
node --input-type=module -e "
const { openEngine } = await import('$PWD/dist/engine/engine.js');
const e = await openEngine({ root: '$root/r' });
for (let i = 0; i < $N; i++) await e.containers.create({ image: 'busybox', cmd: ['sh'] });
"
start=$(date +%s%N)
lines=$($M --root "$root/r" ps -a -s | wc -l)
end=$(date +%s%N)
echo "ps -a -s over $((lines - 1)) containers: $(( (end - start) / 1000000 )) ms"
start=$(date +%s%N)
$M --root "$root/r" ps -a >/dev/null
end=$(date +%s%N)
echo "ps -a (no sizes) over the same: $(( (end - start) / 1000000 )) ms"
