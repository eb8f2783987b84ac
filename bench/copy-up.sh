#!/bin/bash
# Copy-up cost seen from the CLI: `start -a` of a container whose command
# appends to a 100MB image file (one whole-file copy-up on overlay2) against
# one whose command writes nothing; the difference is what the copy-up adds.
# Set beside `cp` of the same image file on the host (target: at most 1.5x).
# bench/copy-up.mjs measures the copy-up alone, through the storage API.
# Usage: bash bench/copy-up.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
M="node bin/mydock.js"
root=$(mktemp -d /tmp/mydock-bench-copyup.XXXXXX)
trap 'rm -rf "$root"' EXIT
R="$M --root $root/r"
$R run --name maker busybox sh -c "head -c $((MB * 1000000)) /dev/urandom > /big" >/dev/null 2>&1
$R commit maker bigfile:1 >/dev/null
$R rm maker >/dev/null
layer_file="$($R image inspect -f '{{.GraphDriver.Data.UpperDir}}' bigfile:1)/big"

hyperfine --warmup 1 --runs 10 --export-json "$root/times.json" \
  --prepare "$R rm -f c1 >/dev/null; $R create --name c1 bigfile:1 sh -c 'echo x >> /big' >/dev/null" -n append "$R start -a c1" \
  --prepare "$R rm -f c1 >/dev/null; $R create --name c1 bigfile:1 true >/dev/null" -n nothing "$R start -a c1" \
  --prepare "rm -f $root/copy" -n cp "cp $layer_file $root/copy" >/dev/null

node - "$root/times.json" "$MB" <<'JS'
const [file, mb] = process.argv.slice(2);
const t = Object.fromEntries(JSON.parse(require('fs').readFileSync(file, 'utf8')).results.map((r) => [r.command, r.median * 1000]));
const copyUp = t.append - t.nothing;
console.log(`start -a, appending to the ${mb}MB image file: ${t.append.toFixed(1)} ms (median)`);
console.log(`start -a, writing nothing:                ${t.nothing.toFixed(1)} ms`);
console.log(`what the first append adds (the copy-up): ${copyUp.toFixed(1)} ms`);
console.log(`cp of the same file on the host:          ${t.cp.toFixed(1)} ms`);
console.log(`ratio: ${(copyUp / t.cp).toFixed(2)}x (target at most 1.5x)`);
JS
