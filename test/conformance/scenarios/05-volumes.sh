#!/bin/bash
# 05 named and anonymous volumes: create/ls/inspect/rm/prune, pre-population
# from the image (new empty volume only, not with nocopy), anonymous volumes
# from -v /path and Dockerfile VOLUME, rm -v, run --rm, ps --filter volume=,
# .Mounts of every kind. Volume data never counts in a container's SIZE.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf05_
  rm_volumes cf05_
  rm_images 'cf05_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

cat > Dockerfile <<'DF'
FROM mbase:1
RUN mkdir -p /app/conf && echo 'port=80' > /app/conf/main.cfg && echo x > /app/conf/extra.cfg
RUN mkdir /vol && echo seeded > /vol/seed.txt
VOLUME /vol
RUN echo lost > /vol/lost.txt
DF
step build -q -t cf05_img:1 .

note "create, ls, inspect (full JSON of a labelled volume), re-create is a silent success"
step volume create cf05_a
step volume create --label cf05=yes --label tier=db cf05_b
step volume create --label cf05=other cf05_b
step volume create -d local cf05_c
step volume ls --filter name=cf05_
step volume ls -q --filter name=cf05_
step volume ls --filter name=cf05_ --format '{{.Name}}|{{.Driver}}|{{.Labels}}|{{.Scope}}|{{.Mountpoint}}'
step volume ls --filter label=cf05=yes
step volume inspect cf05_b cf05_a
step volume inspect --format '{{.Name}} {{.Driver}} {{.Mountpoint}} {{json .Labels}} {{json .Options}} {{.Scope}}' cf05_a cf05_b

note "pre-population: a new empty volume gets the image's files at the mount point"
step run --name cf05_p1 -v cf05_a:/app/conf cf05_img:1 sh -c 'ls /app/conf; echo added > /app/conf/new.cfg'
step run --rm --name cf05_p2 -v cf05_a:/data mbase:1 ls /data
note "a non-empty volume is not pre-populated again"
step run --rm --name cf05_p3 -v cf05_c:/data mbase:1 sh -c 'echo mine > /data/mine.txt'
step run --rm --name cf05_p4 -v cf05_c:/app/conf cf05_img:1 ls /app/conf
note "nocopy: the volume stays empty (both syntaxes)"
step run --rm --name cf05_p5 --mount type=volume,src=cf05_nc1,dst=/app/conf,volume-nocopy cf05_img:1 ls -A /app/conf
step run --rm --name cf05_p6 -v cf05_nc2:/app/conf:nocopy cf05_img:1 ls -A /app/conf
step run --rm --name cf05_p7 -v cf05_nc3:/app/conf cf05_img:1 ls -A /app/conf
note "run -v NAME auto-creates the volume (no labels); data written there is not in the container SIZE"
step run --name cf05_w -v cf05_auto:/data mbase:1 sh -c 'head -c 300000 /bin/busybox > /data/blob; echo r > /rootfile'
step ps -a -s --filter name=cf05_w --format '{{.Names}} {{.Size}}'
pipe '$D diff cf05_w | sort -k2'
step volume inspect --format '{{.Name}} {{json .Labels}}' cf05_auto
step run --rm --name cf05_r -v cf05_auto:/data:ro mbase:1 wc -c /data/blob
step run --rm --name cf05_r -v cf05_auto:/data:ro mbase:1 sh -c 'echo no > /data/x'

note "anonymous volumes: -v /path and the image's VOLUME; the image's VOLUME gets the image's files"
note "(a RUN after VOLUME writes into a throwaway volume: /vol/lost.txt is not in the image)"
step run -d --name cf05_anon -v /scratch cf05_img:1 sleep 600
# Name the volumes through each mount's destination so their numbering is stable.
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{.Type}} {{.Name}} {{.Driver}} {{.RW}}{{println}}{{end}}" cf05_anon | grep . | sort'
step exec cf05_anon sh -c 'ls -A /vol /scratch; cat /vol/seed.txt'
VOL_S=$($D inspect --format '{{range .Mounts}}{{if eq .Destination "/scratch"}}{{.Name}}{{end}}{{end}}' cf05_anon 2>/dev/null)
VOL_V=$($D inspect --format '{{range .Mounts}}{{if eq .Destination "/vol"}}{{.Name}}{{end}}{{end}}' cf05_anon 2>/dev/null)
step volume inspect --format '{{.Name}} {{json .Labels}} {{.Mountpoint}}' "$VOL_S"
step ps --filter volume=/scratch --filter name=cf05_ --format '{{.Names}}'
step ps -a --filter volume=cf05_a --format '{{.Names}}'
step ps -a --filter volume=cf05_auto --filter name=cf05_ --format '{{.Names}} {{.Mounts}}'
step rm -f cf05_anon
note "rm without -v leaves anonymous volumes behind, dangling"
pipe "\$D volume ls -q --filter dangling=true | grep -c -x -e '$VOL_S' -e '$VOL_V'"
step volume rm "$VOL_S" "$VOL_V"

note "rm -v removes the anonymous volumes, never the named ones"
step create --name cf05_v -v /scratch -v cf05_a:/named cf05_img:1 true
VOL_S=$($D inspect --format '{{range .Mounts}}{{if eq .Destination "/scratch"}}{{.Name}}{{end}}{{end}}' cf05_v 2>/dev/null)
VOL_V=$($D inspect --format '{{range .Mounts}}{{if eq .Destination "/vol"}}{{.Name}}{{end}}{{end}}' cf05_v 2>/dev/null)
step rm -v cf05_v
step volume inspect --format '{{.Name}}' "$VOL_S" "$VOL_V" cf05_a

note "run --rm removes anonymous volumes too"
step run -d --rm --name cf05_rm -v /scratch mbase:1 sleep 600
VOL_S=$($D inspect --format '{{range .Mounts}}{{.Name}}{{end}}' cf05_rm 2>/dev/null)
step volume inspect --format '{{.Name}}' "$VOL_S"
step stop -t 1 cf05_rm
# Docker removes the container (and its anonymous volumes) just after it
# exits, asynchronously: wait for it to be gone.
for _ in $(seq 100); do $D inspect cf05_rm >/dev/null 2>&1 || break; sleep 0.1; done
step volume inspect --format '{{.Name}}' "$VOL_S"

note ".Mounts of a named volume, an anonymous one, a bind and a --tmpfs (which is not listed); sorted by destination"
mkdir hostdir
step run -d --name cf05_m -v cf05_a:/named -v /anon --mount type=bind,src="$CTX/hostdir",dst=/bound --tmpfs /fast mbase:1 sleep 600
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{json .}}{{println}}{{end}}" cf05_m | grep . | sort'
step inspect --format '{{json .HostConfig.Binds}} {{json .HostConfig.Tmpfs}}' cf05_m
step inspect --format '{{json .Config.Volumes}}' cf05_m
step rm -f -v cf05_m

note "volume ls --filter dangling=true, rm of several, rm -f of a missing one"
step volume ls --filter dangling=true --filter name=cf05_
step volume ls --filter dangling=false --filter name=cf05_
step rm -v cf05_p1 cf05_w
step volume ls --filter dangling=true --filter name=cf05_ --format '{{.Name}}'
step volume rm cf05_nc1 cf05_nc2
step volume rm -f cf05_nosuch

# `volume prune` is left out: Engine 20.10 (API 1.41) prunes named volumes
# too and refuses -a, Docker 23+ prunes anonymous volumes only unless -a.
# mydock follows Docker 23+; test/cli/volume.test.ts pins its prune.

step volume rm cf05_a cf05_b cf05_c cf05_auto cf05_nc3
step volume ls --filter name=cf05_
step rmi cf05_img:1
