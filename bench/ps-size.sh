#!/bin/bash
# `ps -a -s` over 1000 exited containers, each with a few files in its
# writable layer, against real Docker when a daemon answers (`docker info`,
# so DOCKER_HOST is honoured). Target: mydock at most half of Docker's time.
# mydock lists the SIZE cached in each record when its last process ended,
# and reads the records through its container list snapshot, which stands
# for them while the containers directory is unchanged (one stat); Docker
# walks every container's upper directory on each call.
# Usage: bash bench/ps-size.sh [COUNT]   (RUNS=n for more hyperfine runs, SETTLE=s before timing)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${RUNS:-10}
M="node bin/mydock.js"
WRITE='echo hello > /a; mkdir /d; echo x > /d/b'
tmp=$(mktemp -d /tmp/mydock-bench-ps.XXXXXX)
# One label and one image tag per run, so that cleaning up touches nothing
# else on a daemon that others may be using.
tag="mydock-bench-ps:$(basename "$tmp" | tr -cd 'a-zA-Z0-9' | tr 'A-Z' 'a-z')"
label="mydock-bench-ps=$(basename "$tmp")"
docker_used=false
cleanup() {
  if $docker_used; then
    docker ps -aq --filter "label=$label" | xargs -r -n 100 docker rm -f >/dev/null 2>&1 || true
    docker rmi "$tag" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
mean_ms() { jq ".results[$2].mean * 1000 | round" "$1"; }
sizes() { sort | uniq -c | sed 's/^ */  /'; }

$M --root "$tmp/r" run --rm busybox true >/dev/null 2>&1
# Created and run through the engine in one process: 1000 CLI start-ups
# (and 1000 shims) would dominate the set-up. Running the command is what
# puts the files in each writable layer and caches its size.
start=$(date +%s)
node --input-type=module -e "
const { openEngine } = await import('$PWD/dist/engine/engine.js');
const { ProcessSignals } = await import('$PWD/dist/runtime/signals.js');
const { EmptyInput, NullOutput } = await import('$PWD/dist/runtime/streams.js');
const e = await openEngine({ root: '$tmp/r' });
for (let i = 0; i < $N; i++) {
  const id = await e.containers.create({ image: 'busybox', cmd: ['sh', '-c', $(printf '%s' "$WRITE" | jq -Rs .)] });
  const stdio = { stdin: new EmptyInput(), stdout: new NullOutput(), stderr: new NullOutput() };
  const status = await e.containers.runMain(id, stdio, new ProcessSignals({ pid1: true }));
  if (status !== 0) throw new Error('container ' + id + ' exited with ' + status);
}
"
echo "mydock: $N containers created and run in $(( $(date +%s) - start )) s"
echo "mydock SIZE column (count, value):"
$M --root "$tmp/r" ps -a -s --format '{{.Size}}' | sizes
commands=("$M --root $tmp/r ps -a -s" "$M --root $tmp/r ps -a")

if docker info >/dev/null 2>&1; then
  docker_used=true
  # mydock's images hold no host binaries, so Docker runs an image made of the
  # host's static busybox (or DOCKER_IMAGE), imported under a tag of our own.
  if [ -n "${DOCKER_IMAGE:-}" ]; then
    docker tag "$DOCKER_IMAGE" "$tag"
  else
    bb=$(command -v busybox || true)
    if [ -z "$bb" ] || ! file -L "$bb" | grep -q 'statically linked'; then
      echo "real Docker: no static busybox on the host to build an image from; set DOCKER_IMAGE" >&2
      exit 1
    fi
    mkdir -p "$tmp/rootfs/bin"
    cp "$bb" "$tmp/rootfs/bin/busybox"
    for applet in sh mkdir ls cat; do ln -s busybox "$tmp/rootfs/bin/$applet"; done
    tar -C "$tmp/rootfs" -c . | docker import --change 'CMD ["sh"]' - "$tag" >/dev/null
  fi
  start=$(date +%s)
  # Attached runs, so that each has exited (and written its files) when xargs returns.
  seq 1 "$N" | xargs -P 4 -I{} docker run --label "$label" "$tag" sh -c "$WRITE"
  made=$(docker ps -aq --filter "label=$label" | wc -l)
  echo "Docker: $made containers created and run in $(( $(date +%s) - start )) s"
  echo "Docker SIZE column (count, value):"
  docker ps -a -s --filter "label=$label" --format '{{.Size}}' | sizes
  # Filtered by our label: only this run's containers are listed, whatever else the daemon holds.
  commands+=("docker ps -a -s --filter label=$label")
else
  echo "real Docker: no daemon answers (set DOCKER_HOST); timing mydock alone"
fi

# ps reads records through the container list snapshot, which keeps only
# records changed more than 2 s before a listing: wait that long after the
# last container ended, so that every run times the steady state, as a
# daemon's in-memory view would be (the warm-up runs write the snapshot).
# Longer, so that the daemon has finished cleaning up after the thousand
# runs: on a 2-CPU machine its work slows both CLIs' runs.
sleep ${SETTLE:-10}
# One hyperfine run for all commands, so that they share the machine's load.
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/times.json" "${commands[@]}"
mydock_ms=$(mean_ms "$tmp/times.json" 0)
echo "ps -a -s over $N containers: mydock $mydock_ms ms"
if $docker_used; then
  docker_ms=$(mean_ms "$tmp/times.json" 2)
  echo "ps -a -s over $N containers: Docker $docker_ms ms; ratio mydock/Docker $(jq -n "$mydock_ms / $docker_ms * 100 | round / 100") (target: at most 0.5)"
fi
