#!/bin/bash
# Regenerate the raw reference captures in this directory from real Docker.
#
# These are outputs too big or too engine-specific to pin in a golden, but
# whose shape implementers must mirror: full inspect JSON, info, version, a
# verbose classic build, system df -v, ps --no-trunc, images --digests and
# the --help texts. They are NOT normalized (IDs, times and sizes are as
# Docker printed them); only the data root (-> <root>), the temp dir
# (-> <ctx>), the exec root (-> <exec-root>) and the host name
# (-> <hostname>) are replaced. Listings of the shared engine are cut down
# to this script's own objects (ref_*, plus mbase) and the headers.
#
#   make-reference.sh     (DOCKER_HOST defaults to the conformance engine)
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${DOCKER_HOST:-}" ] && [ -S /tmp/realdocker/docker.sock ]; then
  export DOCKER_HOST=unix:///tmp/realdocker/docker.sock
fi
export DOCKER_BUILDKIT=0 LC_ALL=C
D=docker
"$HERE/../make-base.sh" >/dev/null || exit 1

ROOT=$($D info --format '{{.DockerRootDir}}')
HOSTNAME_=$($D info --format '{{.Name}}')
cleanup() {
  for c in $($D ps -aq --filter name=ref_); do $D rm -f -v "$c" >/dev/null 2>&1; done
  $D volume rm -f ref_vol >/dev/null 2>&1
  $D rmi -f ref_img:1 ref_build:1 >/dev/null 2>&1
}
cleanup
CTX=$(mktemp -d "${TMPDIR:-/tmp}/cfctx.XXXXXX")
trap 'cleanup; cd /; rm -rf "$CTX"' EXIT

# scrub FILE: replace the data root, the temp dir and the host name in place
scrub() {
  local f=$1
  sed -i -e "s#$ROOT#<root>#g" -e "s#$CTX#<ctx>#g" -e "s#${TMPDIR:-/tmp}/cfctx\.[A-Za-z0-9]*#<ctx>#g" \
    -e 's#"[^"]*/netns/#"<exec-root>/netns/#g' "$f"
  [ -n "$HOSTNAME_" ] && sed -i -e "s#\\b$HOSTNAME_\\b#<hostname>#g" "$f"
}

# out NAME CMD...: run CMD, write stdout+stderr to NAME, scrub it
out() {
  local name=$1
  shift
  "$@" >"$HERE/$name" 2>&1
  scrub "$HERE/$name"
  echo "wrote reference/$name"
}

cd "$CTX" || exit 1
# A 3-step Dockerfile for the verbose build, and a richer image for inspect.
cat > Dockerfile <<'DF'
FROM mbase:1
RUN mkdir /app && echo hello > /app/hello.txt
CMD ["cat", "/app/hello.txt"]
DF
out docker-build-verbose.txt $D build -t ref_build:1 .
cat > Dockerfile.img <<'DF'
FROM mbase:1
LABEL org.example.ref=yes
ENV APP=/app MODE=ref
WORKDIR /app
COPY Dockerfile ./
RUN echo data > /app/data.txt
EXPOSE 8080
USER nobody
VOLUME /data
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/data.txt"]
DF
$D build -q -f Dockerfile.img -t ref_img:1 . >/dev/null 2>&1
out docker-image-inspect.json $D image inspect ref_img:1

mkdir bind
$D volume create --label org.example.ref=yes ref_vol >/dev/null
$D run -d --name ref_run -v ref_vol:/named -v "$CTX/bind:/bound:ro" --tmpfs /fast:size=64k \
  --mount type=tmpfs,dst=/fast2 -l org.example.ref=yes -e REF=1 ref_img:1 'exec sleep 600' >/dev/null
out docker-inspect-container.json $D inspect ref_run
out docker-volume-inspect.json $D volume inspect ref_vol

# docker info: everything up to and including the Docker Root Dir line
$D info >"$HERE/docker-info.txt" 2>&1
sed -i '/^ Docker Root Dir:/q' "$HERE/docker-info.txt"
scrub "$HERE/docker-info.txt"
echo "wrote reference/docker-info.txt"
out docker-version.txt $D version

# Listings of the shared engine, cut to the headers and our own objects.
$D run --name ref_exited ref_img:1 'echo x > /tmp/x' >/dev/null 2>&1
$D system df -v >"$HERE/docker-system-df-v.txt" 2>&1
grep -E 'space usage:|usage:|^(REPOSITORY|CONTAINER ID|VOLUME NAME|CACHE ID)|^$|ref_|^mbase ' "$HERE/docker-system-df-v.txt" >"$HERE/df.tmp"
mv "$HERE/df.tmp" "$HERE/docker-system-df-v.txt"
scrub "$HERE/docker-system-df-v.txt"
echo "wrote reference/docker-system-df-v.txt"
out docker-ps-a-no-trunc.txt $D ps -a --no-trunc --size --filter name=ref_
out docker-images-digests.txt $D images --digests --filter reference='ref_*' --filter reference=mbase

# --help texts (the classic builder's build --help, as DOCKER_BUILDKIT=0)
out docker-help.txt $D --help
for cmd in run ps images build volume "volume create" image container "system df"; do
  # shellcheck disable=SC2086
  out "docker-${cmd// /-}-help.txt" $D $cmd --help
done
