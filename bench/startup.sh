#!/bin/bash
# Start-up cost: `mydock --version`, `mydock images` (two images) and
# `mydock ps -a` against `node -e 0`.
# Target: at most 1.3x node's own start-up. The CLI runs from the code-cached
# bundle that `npm run build` makes (bin/bundle.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
M="node bin/mydock.js --root $root"
$M pull alpine >/dev/null
$M pull busybox >/dev/null
$M create --name c1 alpine true >/dev/null
# Image configs are remembered as verified once they are 2 s old (as dockerd verifies them once at start-up).
sleep 2
$M images >/dev/null
hyperfine -N --warmup 10 --runs 60 --export-json "$root/times.json" \
  'node -e 0' \
  'node bin/mydock.js --version' \
  "$M images" \
  "$M ps -a" >/dev/null
node - "$root/times.json" <<'JS'
const results = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8')).results;
const base = results[0];
for (const r of results) {
  const name = r.command.replace(/--root \S+ /, '');
  console.log(`${name.padEnd(30)} mean ${(r.mean * 1000).toFixed(1)} ms  median ${(r.median * 1000).toFixed(1)} ms  min ${(r.min * 1000).toFixed(1)} ms  ${(r.median / base.median).toFixed(2)}x node (median)`);
}
JS
