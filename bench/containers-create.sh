#!/bin/bash
# Creating COUNT containers from ubuntu:18.04 and from a 500MB image: time per
# container (hyperfine, one run per container, CLI start-up included) and disk
# used per container, for mydock on overlay2 and on vfs, and for real Docker
# (overlay2) when a daemon answers (`docker info`, so DOCKER_HOST is honoured).
# overlay2 should stay flat in image size (a container costs an init layer of
# a few files and an empty writable layer); vfs grows with it (the init layer
# and the writable layer are each a full copy of the image).
# Usage: bash bench/containers-create.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
M="node bin/mydock.js"
tmp=$(mktemp -d /tmp/mydock-bench-create.XXXXXX)
suffix=$(basename "$tmp" | tr -cd 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
# One label and our own image tags, so that cleaning up touches nothing else
# on a daemon that others may be using.
label="mydock-bench-create=$suffix"
docker_tags=()
docker_used=false
cleanup() {
  if $docker_used; then
    for kind in ubuntu big500; do
      docker ps -aq --filter "label=$label-$kind" | xargs -r -n 100 docker rm -f >/dev/null 2>&1 || true
    done
    for t in "${docker_tags[@]}"; do docker rmi "$t" >/dev/null 2>&1 || true; done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
mean_ms() { jq '.results[0].mean * 1000 * 10 | round / 10' "$1"; }
sd_ms() { jq '.results[0].stddev * 1000 * 10 | round / 10' "$1"; }
# As docker/cli's SIZE columns: units.HumanSizeWithPrecision(size, 3), three significant digits, decimal units.
human() { awk -v b="$1" 'BEGIN { split("B kB MB GB TB", u); i = 1; while (b >= 1000 && i < 5) { b /= 1000; i++ } printf "%.3g%s", b, u[i] }'; }
results=()
declare -A mean

# 500 files of 1MB (random, so no layer compresses it away), committed over ubuntu:18.04.
make_images() {
  local R="$M --root $1 --storage-driver $2"
  $R pull ubuntu:18.04 >/dev/null
  $R run --name maker ubuntu:18.04 sh -c \
    'for d in $(seq 1 50); do mkdir -p /big/$d; for f in $(seq 1 10); do head -c 1000000 /dev/urandom > /big/$d/$f; done; done' >/dev/null
  $R commit maker "big500:$suffix" >/dev/null
  $R rm maker >/dev/null
}

# vfs copies the image twice per container: with the big image, COUNT
# containers would not fit on most disks, so vfs gets at most a quarter of
# the free space (the figures are per container either way).
fit_count() {
  local image_bytes=$1 avail
  avail=$(df -B1 --output=avail "$tmp" | tail -1)
  local fit=$((avail / 4 / (2 * image_bytes + 1)))
  if [ "$fit" -lt "$N" ]; then
    echo "vfs: only $fit containers of a $(human "$image_bytes") image fit in a quarter of the free space; creating $fit, not $N" >&2
    echo "$fit"
  else
    echo "$N"
  fi
}

for driver in overlay2 vfs; do
  root="$tmp/$driver"
  R="$M --root $root --storage-driver $driver"
  make_images "$root" "$driver"
  for image in ubuntu:18.04 "big500:$suffix"; do
    bytes=$($R image inspect --format '{{.Size}}' "$image")
    n=$N
    if [ "$driver" = vfs ]; then n=$(fit_count "$bytes"); fi
    [ "$n" -ge 2 ] || { results+=("$(printf 'mydock %-8s %-22s skipped: no room' "$driver" "${image%%:*} ($(human "$bytes"))")"); continue; }
    before=$(du -sb "$root" | cut -f1)
    hyperfine -N --style basic --runs "$n" --export-json "$tmp/run.json" "$R create $image true" >/dev/null
    after=$(du -sb "$root" | cut -f1)
    mean["$driver ${image%%:*}"]=$(mean_ms "$tmp/run.json")
    results+=("$(printf 'mydock %-8s %-22s %4d containers: %7.1f ms ± %5.1f each, disk +%s each' \
      "$driver" "${image%%:*} ($(human "$bytes"))" "$n" "$(mean_ms "$tmp/run.json")" "$(sd_ms "$tmp/run.json")" "$(human $(((after - before) / n)))")")
    $R container prune -f >/dev/null
  done
  # The overlay2 root's images go to Docker below; vfs's copies are large.
  [ "$driver" = vfs ] && rm -rf "$root"
done

if docker info >/dev/null 2>&1; then
  docker_used=true
  data_root=$(docker info --format '{{.DockerRootDir}}')
  docker_driver=$(docker info --format '{{.Driver}}')
  R="$M --root $tmp/overlay2"
  for image in ubuntu:18.04 "big500:$suffix"; do
    # The same image as mydock's (save keeps the image ID), under a tag of our own.
    tag="mydock-bench-create-${image%%:*}:$suffix"
    $R tag "$image" "$tag"
    $R save "$tag" | docker load >/dev/null
    docker_tags+=("$tag")
    bytes=$(docker image inspect --format '{{.Size}}' "$tag")
    hyperfine -N --style basic --runs "$N" --export-json "$tmp/run.json" "docker create --label $label-${image%%:*} $tag true" >/dev/null
    # What each container added under the data root: its records, its layer
    # record, its writable and init layers and their short-name links
    # (summed per container: the daemon may be busy with others' work).
    disk=0
    if [ -r "$data_root" ]; then
      for id in $(docker ps -aq --no-trunc --filter "label=$label-${image%%:*}"); do
        upper=$(docker inspect --format '{{.GraphDriver.Data.UpperDir}}' "$id")
        layer=$(dirname "$upper")
        paths=("$data_root/containers/$id" "$data_root/image/$docker_driver/layerdb/mounts/$id" "$layer" "$layer-init")
        for l in "$layer/link" "$layer-init/link"; do [ -r "$l" ] && paths+=("$(dirname "$layer")/l/$(cat "$l")"); done
        disk=$((disk + $(du -sbc "${paths[@]}" 2>/dev/null | tail -1 | cut -f1)))
      done
      disk_text="disk +$(human $((disk / N))) each"
    else
      disk_text="disk not measured ($data_root is not readable)"
    fi
    mean["docker ${image%%:*}"]=$(mean_ms "$tmp/run.json")
    results+=("$(printf 'Docker %-8s %-22s %4d containers: %7.1f ms ± %5.1f each, %s' \
      "$docker_driver" "${image%%:*} ($(human "$bytes"))" "$N" "$(mean_ms "$tmp/run.json")" "$(sd_ms "$tmp/run.json")" "$disk_text")")
    docker ps -aq --filter "label=$label-${image%%:*}" | xargs -r -n 100 docker rm -f >/dev/null
  done
  for kind in ubuntu big500; do
    results+=("$(printf 'time per container, mydock overlay2 / Docker, %-7s %s' "$kind:" "$(jq -n "${mean[overlay2 $kind]} / ${mean[docker $kind]} * 100 | round / 100")")")
  done
else
  results+=("real Docker: no daemon answers (set DOCKER_HOST); skipped")
fi

echo
printf '%s\n' "${results[@]}"
