#!/bin/bash
# Copy-up cost: the first append to a 100MB file that lives in an image layer
# copies the whole file into the container's writable layer (overlay2);
# compared with a plain `cp` of the same file on the host.
# Usage: bash bench/copy-up.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
M="node bin/mydock.js"
root=$(mktemp -d /tmp/mydock-bench-copyup.XXXXXX)
trap 'ls "$root" >/dev/null; rm -rf "$root"' EXIT
R="$M --root $root/r"
$R run --name maker busybox sh -c "head -c $((MB * 1000000)) /dev/urandom > /big 2>/dev/null || dd if=/dev/zero of=/big bs=1000000 count=$MB 2>/dev/null" >/dev/null 2>&1
$R commit maker bigfile:1 >/dev/null
$R rm maker >/dev/null
$R create --name c1 bigfile:1 sh -c 'echo x >> /big' >/dev/null
start=$(date +%s%N)
$R start -a c1
end=$(date +%s%N)
echo "first append (copy-up of ${MB}MB) in a container: $(( (end - start) / 1000000 )) ms (CLI start-up included); SIZE now $($R ps -a -s --filter name=c1 --format '{{.Size}}')"
$R create --name c2 bigfile:1 sh -c 'echo x >> /big; echo y >> /big' >/dev/null
start=$(date +%s%N)
$R start -a c2
end=$(date +%s%N)
echo "two appends in a fresh container (one copy-up): $(( (end - start) / 1000000 )) ms"
$R create --name c3 bigfile:1 true >/dev/null
start=$(date +%s%N)
$R start -a c3
end=$(date +%s%N)
echo "baseline (start a container that writes nothing): $(( (end - start) / 1000000 )) ms"
head -c $((MB * 1000000)) /dev/zero > "$root/host-big"
start=$(date +%s%N)
cp "$root/host-big" "$root/host-copy"
end=$(date +%s%N)
echo "host cp of ${MB}MB: $(( (end - start) / 1000000 )) ms"
