#!/bin/bash
# 06 bind mounts: -v and --mount type=bind share a host directory or file
# both ways, hide the image's content at the target, never count in SIZE,
# :ro / readonly, symlinks inside a bind, what a missing source does.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf06_
  rm_images 'cf06_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

mkdir -p b/df host host/sub etcdir
printf 'FROM mbase:1\nRUN mkdir /app && echo image > /app/from-image.txt && echo conf > /app/app.conf\n' > b/df/Dockerfile
step build -q -t cf06_img:1 b/df
echo 'from host' > host/hello.txt
echo target > host/target.txt
ln -s target.txt host/rel-link
ln -s /etc/passwd host/abs-link
ln -s /app host/dir-link
echo 'host conf' > host.conf

note "-v HOST:CTR shares both ways; writes land on the host and not in the container layer"
step run --name cf06_a -v "$CTX/host:/mnt/h" cf06_img:1 sh -c 'cat /mnt/h/hello.txt; echo from container > /mnt/h/new.txt; head -c 10000 /bin/busybox > /mnt/h/big'
host cat host/new.txt
host wc -c host/big
step ps -a -s --filter name=cf06_a --format '{{.Names}} {{.Size}}'
pipe '$D diff cf06_a | sort -k2'
step inspect --format '{{json .Mounts}}' cf06_a
step inspect --format '{{json .HostConfig.Binds}} {{json .HostConfig.Mounts}}' cf06_a

note "--mount type=bind (src/dst and source/target aliases)"
step run --rm --mount type=bind,src="$CTX/host",dst=/mnt/h mbase:1 cat /mnt/h/new.txt
step run --name cf06_m --mount type=bind,source="$CTX/host",target=/mnt/h mbase:1 ls /mnt/h
step inspect --format '{{json .Mounts}}' cf06_m
step inspect --format '{{json .HostConfig.Binds}} {{json .HostConfig.Mounts}}' cf06_m

note "a bind hides the image's content at the target; the image is untouched"
step run --name cf06_hide -v "$CTX/host/sub:/app" cf06_img:1 sh -c 'ls -A /app; echo new > /app/x'
pipe '$D diff cf06_hide | sort -k2'
step run --rm cf06_img:1 ls /app
host ls host/sub

note "file bind mount"
step run --name cf06_f -v "$CTX/host.conf:/app/app.conf" cf06_img:1 sh -c 'cat /app/app.conf; ls /app; echo appended >> /app/app.conf'
host cat host.conf
step run --rm -v "$CTX/host.conf:/app/app.conf" cf06_img:1 rm /app/app.conf
step run --rm -v "$CTX/host.conf:/app/app.conf" cf06_img:1 mv /app/app.conf /app/moved
step run --rm -v "$CTX/host.conf:/newfile.conf" mbase:1 cat /newfile.conf
pipe '$D diff cf06_f | sort -k2'

note ":ro and readonly: writes fail, reads work"
step run --rm -v "$CTX/host:/mnt/h:ro" mbase:1 cat /mnt/h/hello.txt
step run --rm -v "$CTX/host:/mnt/h:ro" mbase:1 sh -c 'echo x > /mnt/h/ro.txt'
step run --rm -v "$CTX/host:/mnt/h:ro" mbase:1 rm /mnt/h/hello.txt
step run --rm -v "$CTX/host:/mnt/h:ro" mbase:1 touch /mnt/h/t
step run --rm -v "$CTX/host:/mnt/h:ro" mbase:1 mkdir /mnt/h/d
step run --rm --mount type=bind,src="$CTX/host",dst=/mnt/h,readonly mbase:1 sh -c 'echo x > /mnt/h/ro.txt'
step run --rm --mount type=bind,src="$CTX/host",dst=/mnt/h,ro=true mbase:1 sh -c 'echo x > /mnt/h/ro.txt'
step run --name cf06_ro -v "$CTX/host:/mnt/h:ro" --mount type=bind,src="$CTX/host.conf",dst=/c.conf,readonly mbase:1 true
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{json .}}{{println}}{{end}}" cf06_ro | grep . | sort'
step inspect --format '{{json .HostConfig.Binds}}' cf06_ro
host ls host

note "symlinks inside a bind resolve in the container's namespace"
step run --rm -v "$CTX/host:/mnt/h" cf06_img:1 sh -c 'cat /mnt/h/rel-link; head -n 1 /mnt/h/abs-link; ls /mnt/h/dir-link/; readlink /mnt/h/abs-link'
step run --rm -v "$CTX/host/rel-link:/linked.txt" mbase:1 cat /linked.txt

note "a missing source: -v creates it as a directory, --mount refuses"
step run --rm -v "$CTX/made-by-v/deep:/m" mbase:1 sh -c 'ls -A /m; echo hi > /m/f'
host ls -A made-by-v/deep
step run --rm --mount type=bind,src="$CTX/not-there",dst=/m mbase:1 true
host ls made-by-v not-there

note "a bind over /etc hides passwd; the engine still mounts hostname, hosts, resolv.conf there"
step run --rm -v "$CTX/etcdir:/etc" mbase:1 sh -c 'ls /etc; id'
host ls etcdir

note "a directory bound over a file of the image: rc 125; runc's message names fds, only its hint is kept"
pipe '$D run --rm -v "$CTX/host:/app/app.conf" cf06_img:1 true 2>&1 | grep -o "Are you trying to mount[^?]*?"'

step rm cf06_a cf06_m cf06_hide cf06_f cf06_ro
step rmi cf06_img:1
