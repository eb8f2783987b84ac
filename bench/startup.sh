#!/bin/bash
# Start-up cost: `mydock --version` and `mydock images` against `node -e 0`.
# Target: at most 1.3x node's own start-up (commands load their modules lazily).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
node bin/mydock.js --root "$root" images >/dev/null   # create the root outside the timing
hyperfine -N --warmup 5 --runs 40 \
  'node -e 0' \
  'node bin/mydock.js --version' \
  "node bin/mydock.js --root $root images"
