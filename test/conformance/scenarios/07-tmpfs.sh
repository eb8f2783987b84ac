#!/bin/bash
# 07 tmpfs: --tmpfs and --mount type=tmpfs give a memory-backed directory
# that hides the image's content, never shows in diff or SIZE, and is empty
# again after every start. A size-limit overflow is left out on purpose: its
# error text and the bytes that fit are kernel details.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf07_
  rm_images 'cf07_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

printf 'FROM mbase:1\nRUN mkdir /app && echo image > /app/from-image.txt\n' > Dockerfile
step build -q -t cf07_img:1 .

note "--tmpfs PATH: writable, hides the image's files; over an existing directory it takes that directory's mode"
step run --name cf07_a --tmpfs /app cf07_img:1 sh -c 'ls -A /app; head -c 300000 /bin/busybox > /app/blob; echo x > /rootfile; stat -c "%a %U:%G" /app; wc -c < /app/blob'
step ps -a -s --filter name=cf07_a --format '{{.Names}} {{.Size}}'
pipe '$D diff cf07_a | sort -k2'
step inspect --format '{{json .HostConfig.Tmpfs}} {{json .Mounts}} {{json .HostConfig.Mounts}}' cf07_a

note "size and mode options; df of a sized tmpfs"
step run --rm --tmpfs /app:size=64k cf07_img:1 sh -c 'df -k /app | tail -n 1 | tr -s " " | cut -d" " -f1,2,4,6'
step run --rm --tmpfs /app:size=64k,mode=700 cf07_img:1 stat -c '%a' /app
note "at a path the image does not have: mode 1777 by default, mode= is honoured"
step run --rm --tmpfs /newdir cf07_img:1 stat -c '%a %U:%G' /newdir
step run --rm --tmpfs /newdir:mode=700 cf07_img:1 stat -c '%a' /newdir
note "--tmpfs is noexec by default"
step run --rm --tmpfs /newdir cf07_img:1 sh -c 'cp /bin/busybox /newdir/true && /newdir/true'
step run --rm --tmpfs /newdir:exec cf07_img:1 sh -c 'cp /bin/busybox /newdir/echo && /newdir/echo exec ok'
step run --rm --tmpfs /app:rw,noexec,nosuid,size=1m cf07_img:1 sh -c 'df -k /app | tail -n 1 | tr -s " " | cut -d" " -f2'
step run --name cf07_o --tmpfs /app:size=64k --tmpfs /cache cf07_img:1 true
step inspect --format '{{json .HostConfig.Tmpfs}}' cf07_o

note "--mount type=tmpfs appears in .Mounts and HostConfig.Mounts (unlike --tmpfs)"
step run --name cf07_m --mount type=tmpfs,dst=/app,tmpfs-size=65536,tmpfs-mode=1770 cf07_img:1 sh -c 'ls -A /app; stat -c %a /app; df -k /app | tail -n 1 | tr -s " " | cut -d" " -f2'
step inspect --format '{{json .Mounts}}' cf07_m
step inspect --format '{{json .HostConfig.Mounts}} {{json .HostConfig.Tmpfs}}' cf07_m
step run --rm --mount type=tmpfs,destination=/app,readonly cf07_img:1 sh -c 'echo x > /app/x'

note "data is gone after a restart; the container layer keeps its data"
step run -d --name cf07_r --tmpfs /app cf07_img:1 sleep 600
step exec cf07_r sh -c 'echo t > /app/t; echo r > /root/r'
step exec cf07_r ls /app /root
step restart -t 0 cf07_r
step exec cf07_r ls /app /root
pipe '$D diff cf07_r | sort -k2'
step ps -s --filter name=cf07_r --format '{{.Names}} {{.Size}}'
step stop -t 0 cf07_r
step start cf07_r
step exec cf07_r ls -A /app

note "tmpfs under --read-only stays writable"
step run --rm --read-only --tmpfs /app cf07_img:1 sh -c 'echo ok > /app/ok && cat /app/ok'

step rm -f cf07_a cf07_o cf07_m cf07_r
step rmi cf07_img:1
