#!/bin/bash
# 14 build details (classic builder): multi-stage COPY --from and --target,
# ARG / --build-arg, ENV substitution, .dockerignore, WORKDIR creating a
# directory, ADD of a local tar (extracted), the history CREATED BY texts of
# COPY/ADD (file:/dir:/multi: content hashes), --iidfile, --label, the
# "Sending build context" line, stdin Dockerfiles. Options the classic
# builder rejects (RUN --mount, COPY --link) are recorded with their error.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf14_
  rm_images 'cf14_*'
  for i in $($D images -aq --filter label=cf14 2>/dev/null); do silent rmi -f "$i"; done
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

# --- multi-stage --------------------------------------------------------
mkdir ms
cat > ms/Dockerfile <<'DF'
FROM mbase:1 AS builder
LABEL cf14=ms
RUN mkdir /out && echo built > /out/artifact && echo extra > /out/extra
FROM mbase:1 AS second
LABEL cf14=ms
RUN echo second > /second.txt
FROM mbase:1
LABEL cf14=ms
COPY --from=builder /out/artifact /app/
COPY --from=1 /second.txt /app/second.txt
COPY --from=builder /out /app/out
CMD ["ls", "-R", "/app"]
DF
note "multi-stage: steps are numbered across all stages"
step build -t cf14_ms:1 ms
step run --rm cf14_ms:1
step image history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' cf14_ms:1
step image inspect --format '{{len .RootFS.Layers}}' cf14_ms:1
note "--target stops at a stage"
step build -q --target builder -t cf14_ms:builder ms
step run --rm cf14_ms:builder ls /out
step image history --format '{{.CreatedBy}}' cf14_ms:builder
step build -q --target nosuch ms

# --- ARG / --build-arg / ENV substitution ---------------------------------
mkdir args
cat > args/Dockerfile <<'DF'
ARG BASE=mbase:1
FROM ${BASE}
LABEL cf14=args
ARG VERSION=1.0
ARG NODEFAULT
ENV APP_VERSION=$VERSION APP_DIR=/opt/app-${VERSION}
ENV DERIVED=${APP_DIR}/bin ALT=${MISSING:-fallback} PLUS=${APP_VERSION:+set}
WORKDIR $APP_DIR
RUN echo "version=$VERSION nodefault=[$NODEFAULT] dir=$(pwd)" > info.txt
CMD cat info.txt; env | grep -E '^(APP_|DERIVED|ALT|PLUS|VERSION)' | sort
DF
note "ARG before FROM, defaults, --build-arg, \${VAR:-x} / \${VAR:+x}"
step build -q -t cf14_args:1 args
step run --rm cf14_args:1
step build -q --build-arg VERSION=2.5 --build-arg NODEFAULT=given -t cf14_args:2 args
step run --rm cf14_args:2
step build --build-arg UNUSED=1 --build-arg VERSION=2.5 --build-arg NODEFAULT=given -t cf14_args:2 args
step image history --no-trunc --format '{{.CreatedBy}}' cf14_args:2
step image inspect --format '{{json .Config.Env}} {{.Config.WorkingDir}}' cf14_args:2

# --- .dockerignore, COPY/ADD forms and their history texts ----------------
mkdir -p ctx/src/sub ctx/logs ctx/tarsrc/pkg
echo 'main' > ctx/src/main.txt
echo 'sub' > ctx/src/sub/deep.txt
echo 'secret' > ctx/secret.key
echo 'log' > ctx/logs/a.log
echo 'keep' > ctx/logs/keep.log
echo 'single' > ctx/single.txt
echo 'in tar' > ctx/tarsrc/pkg/file.txt
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C ctx/tarsrc -cf ctx/pkg.tar pkg
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C ctx/tarsrc -czf ctx/pkg.tgz pkg
rm -r ctx/tarsrc
printf '*.key\nlogs/*\n!logs/keep.log\n' > ctx/.dockerignore
cat > ctx/Dockerfile <<'DF'
FROM mbase:1
LABEL cf14=ctx
WORKDIR /srv/new/dir
COPY single.txt /x/
COPY src /app
COPY src/main.txt single.txt /multi/
COPY --chown=65534:65534 single.txt /owned.txt
ADD pkg.tar /added/
ADD pkg.tgz /added-gz/
ADD single.txt /added-file.txt
COPY . /ctx
RUN ls -A /ctx /ctx/logs && ls -ln /owned.txt | cut -c1-25 && find /added /added-gz | sort
DF
chmod 644 ctx/* ctx/.dockerignore 2>/dev/null
note ".dockerignore: *.key and logs/* excluded, !logs/keep.log re-included; WORKDIR creates its directory"
step build -t cf14_ctx:1 ctx
step image history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' cf14_ctx:1
step image history --format '{{.CreatedBy}}|{{.Size}}' cf14_ctx:1
step run --rm cf14_ctx:1 sh -c 'pwd; ls -A /srv/new/dir; cat /x/single.txt /app/main.txt /app/sub/deep.txt; ls /multi'
note "changing an ignored file keeps the cache; changing a copied one does not"
echo 'secret2' > ctx/secret.key
step build -q -t cf14_ctx:1 ctx
echo 'single2' > ctx/single.txt
step build -t cf14_ctx:2 ctx
step build -q --no-cache -t cf14_ctx:3 ctx
step image history --format '{{.CreatedBy}}' cf14_ctx:3

# --- --iidfile, --label, stdin Dockerfiles, exec-form RUN, SHELL ------------
mkdir misc
cat > misc/Dockerfile <<'DF'
FROM mbase:1
LABEL cf14=misc
RUN ["sh", "-c", "echo exec form > /exec.txt"]
SHELL ["/bin/sh", "-e", "-c"]
RUN echo shell form > /shell.txt
RUN echo to stderr >&2
DF
note "--iidfile writes the ID (no newline); --label adds a last LABEL step; a RUN's stderr is wrapped in ESC[91m ... ESC[0m"
# cat -v shows the escape bytes
pipe '$D build --iidfile iid.txt --label extra=yes --label cf14=misc -t cf14_misc:1 misc 2>&1 | cat -v'
pipe 'cat iid.txt; echo; cat iid.txt | wc -c'
step image inspect --format '{{json .Config.Labels}} {{json .Config.Shell}}' cf14_misc:1
step image history --no-trunc --format '{{.CreatedBy}}' cf14_misc:1
note "Dockerfile from stdin: with '-' there is no context; with -f- the context is the directory"
pipe 'printf "FROM mbase:1\nLABEL cf14=stdin\nRUN echo from stdin\n" | $D build -t cf14_stdin:1 -'
pipe 'printf "FROM mbase:1\nLABEL cf14=stdin\nCOPY single.txt /\n" | $D build -q -t cf14_stdin:2 -f- ctx'
pipe 'printf "FROM mbase:1\nCOPY single.txt /\n" | $D build -q -'

note "rejected by the classic builder"
# (COPY --chmod is left out: the 20.10 classic builder refuses it, mydock
# supports it as BuildKit and Docker's later builders do.)
printf 'FROM mbase:1\nRUN --mount=type=cache,target=/c true\n' > ctx/Dockerfile.mount
step build -q -f ctx/Dockerfile.mount ctx
printf 'FROM mbase:1\nCOPY --link single.txt /\n' > ctx/Dockerfile.link
step build -q -f ctx/Dockerfile.link ctx

step rmi cf14_ms:1 cf14_ms:builder cf14_args:1 cf14_args:2 cf14_ctx:1 cf14_ctx:2 cf14_ctx:3 cf14_misc:1 cf14_stdin:1 cf14_stdin:2
