#!/bin/bash
# 01 layers & history: classic builds (quiet and verbose, cache hits), what
# every Dockerfile instruction adds to the history (layers vs 0B metadata
# rows), images/history/inspect output forms, tag, rmi, image prune.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf01_
  rm_images 'cf01_*'
  # dangling leftovers of an interrupted run carry the scenario's labels
  for i in $($D images -aq --filter label=cf01 2>/dev/null); do silent rmi -f "$i"; done
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

# --- a base with one big layer, then an image with every kind of row -------
mkdir base full all
cat > base/Dockerfile <<'DF'
FROM mbase:1
LABEL cf01=base
RUN mkdir -p /opt/data && head -c 1000000 /bin/busybox > /opt/data/big && echo hello > /opt/data/small
DF
printf 'echo "hi from $(basename $0)"\n' > full/run.sh
printf 'one\n' > full/one.txt
cat > full/Dockerfile <<'DF'
FROM cf01_base:1
LABEL cf01=full org.example.kind="layers test"
ENV APP_HOME=/srv/app MODE=test
EXPOSE 8080/tcp 53/udp
WORKDIR /tmp
WORKDIR $APP_HOME
COPY run.sh one.txt ./
RUN echo building in $(pwd) && rm /opt/data/big && ls /opt/data
USER nobody
VOLUME /srv/data
ENTRYPOINT ["/bin/sh", "/srv/app/run.sh"]
CMD ["arg1"]
DF
chmod 644 base/Dockerfile full/Dockerfile full/run.sh full/one.txt

note "quiet build prints only the image ID"
step build -q -t cf01_base:1 base
# images are listed newest first with 1-second resolution
sleep 1
note "verbose classic build: Step N/M, Running in, Removing intermediate container, Successfully built/tagged"
step build -t cf01_full:1 full
note "rebuild of an unchanged context: every step is a cache hit, same ID"
step build -t cf01_full:1 full
step build -q -t cf01_full:1 full

note "images: table, -q, --no-trunc, --format"
step images --filter 'reference=cf01_*'
step images -q --filter 'reference=cf01_*'
step images --no-trunc --filter 'reference=cf01_*'
step images --filter 'reference=cf01_*' --format '{{.Repository}}|{{.Tag}}|{{.ID}}|{{.Size}}'
step images --filter 'reference=cf01_*' --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}'
step images cf01_base

note "history: default (CREATED BY cut to 45 chars), --no-trunc, -H=false, -q, --format"
step image history cf01_base:1
step image history cf01_full:1
step image history --no-trunc cf01_full:1
step image history -H=false cf01_full:1
step image history -q cf01_full:1
step image history --format '{{.Size}}|{{.CreatedBy}}|{{.Comment}}' cf01_full:1
step history --format 'table {{.ID}}\t{{.Size}}' cf01_base:1

note "inspect: deleting a lower layer's file adds a layer and does not shrink the image"
step image inspect --format '{{.Size}}' mbase:1 cf01_base:1 cf01_full:1
step image inspect --format '{{json .RootFS.Layers}}' cf01_base:1
step image inspect --format '{{json .RootFS.Layers}}' cf01_full:1
step image inspect --format '{{json .Config.Cmd}} {{json .Config.Entrypoint}}' cf01_full:1
step image inspect --format '{{json .Config.Env}}' cf01_full:1
step image inspect --format '{{.Config.WorkingDir}}|{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.ExposedPorts}}' cf01_full:1
step image inspect --format '{{json .Config.Labels}}' cf01_base:1 cf01_full:1
step image inspect --format '{{json .Config.Cmd}} {{json .Config.Env}} {{.Config.WorkingDir}}' mbase:1
step run --rm --name cf01_r1 cf01_full:1
step run --rm --name cf01_r2 --entrypoint ls cf01_full:1 -a /opt/data /srv/app

note "images -a shows the build's intermediate images (each step below takes >1s so the order is stable)"
mkdir all/sub
cat > all/Dockerfile <<'DF'
FROM mbase:1
LABEL cf01=all
RUN sleep 1 && echo one > /one
RUN sleep 1 && echo two > /two
DF
step build -q -t cf01_all:1 all
step images --filter label=cf01=all
step images -a --filter label=cf01=all
step images -a --filter label=cf01=all --format '{{.Repository}}:{{.Tag}} {{.Size}}'

note "tag: a second name for the same ID, then rmi of a name only untags"
step tag cf01_base:1 cf01_base:alias
step tag cf01_base:1 cf01_other
# one image under three names: the rows' order is not stable
pipe '$D images --filter "reference=cf01_base*" --filter reference=cf01_other --format "{{.Repository}}:{{.Tag}} {{.ID}}" | sort'
step rmi cf01_base:alias cf01_other
step rmi cf01_other

note "image prune -f deletes dangling images (a rebuilt tag leaves the old image dangling)"
printf 'FROM mbase:1\nLABEL cf01=dang\nRUN echo v1 > /v\n' > all/Dockerfile
step build -q -t cf01_dang:1 all
printf 'FROM mbase:1\nLABEL cf01=dang\nRUN echo v2 > /v\n' > all/Dockerfile
step build -q -t cf01_dang:1 all
# the three images can share one creation second, so their order is not stable
pipe '$D images -a --filter label=cf01=dang --format "{{.Repository}}:{{.Tag}} {{.Size}}" | sort'
step images --filter dangling=true --filter label=cf01=dang --format '{{.Repository}}:{{.Tag}} {{.Size}}'
step image prune -f --filter label=cf01=dang
pipe '$D images -a --filter label=cf01=dang --format "{{.Repository}}:{{.Tag}} {{.Size}}" | sort'
step images --filter dangling=true --filter label=cf01=dang

note "rmi prints Untagged then Deleted for every image of the chain no other image needs"
step rmi cf01_dang:1
step rmi cf01_all:1
step rmi cf01_full:1
step rmi cf01_base:1
step image inspect --format '{{.Size}}' mbase:1
