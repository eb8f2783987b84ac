#!/bin/bash
# 11 errors: exact error texts and exit codes. `run` frames its errors as
# "docker: ...", a blank line and "Run 'docker run --help' ..." (rc 125);
# most other commands print the daemon's text alone with rc 1.
. "$(dirname "$0")/../lib.sh"

IMG_ID=''
cleanup() {
  rm_containers cf11_
  for c in $($D ps -aq --filter label=cf11 2>/dev/null); do silent rm -f "$c"; done
  for i in $($D images -aq --filter label=cf11 2>/dev/null); do silent rmi -f "$i"; done
  rm_volumes cf11_
  rm_images 'cf11_*'
  [ -n "$IMG_ID" ] && silent rmi -f "$IMG_ID"
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

printf 'FROM mbase:1\nRUN printf v1 > /version\n' > Dockerfile
step build -q -t cf11_img:1 .

note "unknown image: run tries a pull whose error depends on the network; only its first line is kept"
out=$($D run --name cf11_x cf11_nosuch:1 2>&1 </dev/null); rc=$?
printf '## step: $D run --name cf11_x cf11_nosuch:1 (first line)\n%s\nrc=%s\n' "${out%%$'\n'*}" "$rc"
step run --pull never --name cf11_x cf11_nosuch:1
step create --pull never --name cf11_x cf11_nosuch
step image inspect cf11_nosuch:1
step image inspect --format '{{.Id}}' cf11_nosuch:1
step rmi cf11_nosuch:1
step rmi -f cf11_nosuch:1
step history cf11_nosuch:1
step tag cf11_nosuch:1 cf11_other:1
step ps -a --filter name=cf11_x --format '{{.Names}}'

note "unknown container"
for cmd in exec start stop kill restart pause unpause wait logs diff port top commit rm; do
  case $cmd in
    exec) step exec cf11_nosuch echo hi ;;
    commit) step commit cf11_nosuch cf11_c:1 ;;
    *) step $cmd cf11_nosuch ;;
  esac
done
step rm -f cf11_nosuch
step inspect cf11_nosuch
step inspect --format '{{.Name}}' cf11_nosuch
step container inspect cf11_nosuch
step rename cf11_nosuch cf11_new
step cp cf11_nosuch:/etc/passwd .
step_nolog cp Dockerfile cf11_nosuch:/tmp/
step stop cf11_nosuch cf11_nosuch2

note "stopped container: exec, kill, pause"
step create --name cf11_stopped mbase:1 sleep 600
step exec cf11_stopped echo hi
step kill cf11_stopped
step pause cf11_stopped
step unpause cf11_stopped
step stop cf11_stopped
step ps -a --filter name=cf11_stopped --format '{{.Names}} {{.Status}}'
note "running container: unpause of a running one, pause twice, rm without -f"
step start cf11_stopped
step unpause cf11_stopped
step pause cf11_stopped
step pause cf11_stopped
step exec cf11_stopped echo hi
step unpause cf11_stopped
step rm cf11_stopped
step rm -f cf11_stopped

note "name conflicts and invalid names"
step create --name cf11_c1 mbase:1 sh
step create --name cf11_c1 mbase:1 sh
step run --name cf11_c1 mbase:1 sh
step rename cf11_c1 cf11_c1
step create --name 'cf11 bad' mbase:1 sh
step create --name -cf11 mbase:1 sh
step rm cf11_c1

note "invalid references"
step run --rm Cf11_Upper:1 sh
step create CF11 sh
step tag mbase:1 cf11_Bad:1
step tag mbase:1 'cf11_img::1'
step build -q -t Cf11_Bad:1 .
step image inspect Cf11_Upper
step run --rm 'cf11_img::1' sh

note "unknown flags and bad arguments"
step run --bogus mbase:1 sh
step ps --bogus
step images --bogus
step volume ls --bogus
step build --bogus .
step rm --bogus x
step exec --bogus x sh
step ps -n x
step run
step rm
step volume create a b
step history
step stop -t x cf11_c
step bogus-command
step image bogus

note "rmi conflicts"
step create --name cf11_used cf11_img:1 cat /version
step rmi cf11_img:1
IMG_ID=$($D image inspect --format '{{.Id}}' cf11_img:1 2>/dev/null)
step tag cf11_img:1 cf11_img:2
step rmi "${IMG_ID:7:12}"
step rmi cf11_img:2
printf 'FROM cf11_img:1\nRUN echo child > /child\n' > Dockerfile.child
step build -q -f Dockerfile.child -t cf11_child:1 .
step rm cf11_used
step rmi "${IMG_ID:7:12}"
step rmi -f "${IMG_ID:7:12}"
step rmi cf11_child:1
note "rmi -f of an image a running container uses untags it; the image stays, dangling"
step run -d --name cf11_run cf11_img:1 sleep 600
step rmi -f cf11_img:1
step image inspect --format '{{json .RepoTags}}' "$IMG_ID"
step ps --filter name=cf11_run --format '{{.Names}} {{.Image}}'
step rm -f cf11_run
step rmi "$IMG_ID"

note "volume errors"
step volume create 'cf11 bad'
step volume create cf11/bad
step volume create -d nosuchdriver cf11_v
step volume inspect cf11_nosuch
step volume rm cf11_nosuch
step volume create cf11_inuse
step run -d --name cf11_vol -v cf11_inuse:/d mbase:1 sleep 600
step volume rm cf11_inuse
step stop -t 0 cf11_vol
step volume rm cf11_inuse
step volume rm -f cf11_inuse
step rm cf11_vol
step volume rm cf11_inuse

note "bad -v / --mount specs"
step run --rm -v :/x mbase:1 true
step run --rm -v /a:/b:/c:d mbase:1 true
step run --rm -v cf11_v:relative mbase:1 true
step run --rm -v 'cf11 bad:/x' mbase:1 true
step run --rm -v /x:/y:bogus mbase:1 true
step run --rm --mount type=bind,src=/tmp,dst=/x,foo=bar mbase:1 true
step run --rm --mount type=bind,src=/tmp,dst=/x,volume-nocopy mbase:1 true
step run --rm --mount type=volume,src=cf11_v,dst=/x,bind-propagation=shared mbase:1 true
step run --rm --mount type=tmpfs,src=/tmp,dst=/x mbase:1 true
step run --rm --mount type=bogus,dst=/x mbase:1 true
step run --rm --mount type=volume,src=cf11_v mbase:1 true
step run --rm --mount type=volume,dst=x mbase:1 true
step run --rm --mount type=bind,src=/cf11/no/such/dir,dst=/x mbase:1 true
step run --rm --mount src=cf11_v,dst=/x,readonly=maybe mbase:1 true
step run --rm --tmpfs relative mbase:1 true
step volume ls -q --filter name=cf11_

note "exit codes of the program inside the container"
step run --rm --name cf11_e1 mbase:1 sh -c 'exit 3'
step run --rm --name cf11_e2 mbase:1 cat /no/such/file
step run --rm --name cf11_e3 mbase:1 no-such-command
step run --rm --name cf11_e4 mbase:1 /etc/passwd
step run --rm --name cf11_e5 mbase:1 /no/such/path
step run --rm --name cf11_e6 mbase:1
step run --rm --name cf11_e7 -w /etc/passwd mbase:1 true
step exec cf11_nosuch true
step run -d --name cf11_bad mbase:1 no-such-command
step ps -a --filter name=cf11_bad --format '{{.Names}} {{.Status}}'
step inspect --format '{{.State.Status}} {{.State.ExitCode}} {{json .State.Error}}' cf11_bad
step rm cf11_bad

note "build errors"
mkdir b
printf 'FROM mbase:1\nRUN true\nRUNN echo x\n' > b/Dockerfile
step build b
note "a failing RUN: -q still prints the whole build, the CLI exits with the RUN's code, the container stays"
# The LABEL marks the failed RUN's leftover container (containers inherit the
# image's labels), so it can be listed and removed without touching others.
printf 'FROM mbase:1\nLABEL cf11=build\nRUN echo before && exit 7\n' > b/Dockerfile
step build -q b
step build b
step ps -a --filter label=cf11=build --format '{{.Status}}|{{.Command}}'
for c in $($D ps -aq --filter label=cf11=build 2>/dev/null); do silent rm -f "$c"; done
for i in $($D images -aq --filter label=cf11=build 2>/dev/null); do silent rmi -f "$i"; done
printf 'FROM mbase:1\nCOPY missing.txt /\n' > b/Dockerfile
step build b
printf 'FROM mbase:1\nCOPY ../Dockerfile /\n' > b/Dockerfile
step build b
printf 'FROM mbase:1\nCOPY /etc/passwd /\n' > b/Dockerfile
step build -q b
printf 'FROM mbase:1\nADD nosuch.tar /\n' > b/Dockerfile
step build -q b
note "FROM of a missing image tries a pull: the last line (network error) is dropped"
printf 'FROM cf11_nosuch:1\n' > b/Dockerfile
pipe '$D build -q b 2>&1 | sed "\$d"'
printf 'RUN true\n' > b/Dockerfile
step build -q b
printf '# only a comment\n' > b/Dockerfile
step build -q b
printf 'FROM mbase:1\nEXPOSE\n' > b/Dockerfile
step build -q b
# COPY --chmod is left out: the 20.10 classic builder refuses it, mydock
# supports it as BuildKit and Docker's later builders do.
printf 'FROM mbase:1\nWORKDIR\n' > b/Dockerfile
step build -q b
rm b/Dockerfile
step build -q b
step build -q -f nosuch.Dockerfile b
step build -q cf11_no_such_dir

step rmi cf11_img:1
