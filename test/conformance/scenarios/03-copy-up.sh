#!/bin/bash
# 03 copy-up & diff: what one change to image content costs in the writable
# layer (SIZE) and how `diff` reports it. Each operation runs in its own
# container so every diff and size stands alone. diff order is random in
# Docker (map iteration), so it is sorted by path.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf03_
  rm_images 'cf03_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

cat > Dockerfile <<'DF'
FROM mbase:1
RUN mkdir -p /data/dir/sub && echo app > /data/app.txt && echo del > /data/del.txt \
 && echo '#!/bin/sh' > /data/mode.sh && echo old > /data/old.name \
 && echo a > /data/dir/a && echo b > /data/dir/sub/b \
 && cat /bin/busybox /bin/busybox | head -c 2000000 > /data/big.bin
DF
step build -q -t cf03_img:1 .
step image inspect --format '{{.Size}}' cf03_img:1

# op NAME 'SHELL' : run SHELL in a new container, then show its diff and size
op() {
  note "$1: $2"
  step run --name "cf03_$1" cf03_img:1 sh -c "$2"
  pipe "\$D diff cf03_$1 | sort -k2"
  step ps -a -s --filter "name=cf03_$1" --format '{{.Names}} {{.Size}}'
}

op nothing 'true'
op append 'echo more >> /data/app.txt'
# diff compares mtimes at one-second resolution when the layer's time has no
# nanoseconds (tar): a plain touch within the build's second shows no change.
# A fixed, different mtime makes the outcome deterministic.
op touch 'touch -d @86400 /data/app.txt'
op delete 'rm /data/del.txt'
op chmod 'chmod 755 /data/mode.sh'
op rename 'mv /data/old.name /data/new.name'
op mkdirs 'mkdir -p /x/y/z'
op rmdir 'rm -r /data/dir'
op recreate 'rm -r /data/dir && mkdir /data/dir && echo c > /data/dir/c'
op tmpfile 'echo tmp > /tmp/t && rm /tmp/t'
op newfile 'head -c 1500 /bin/busybox > /root/new.bin'
op bigappend 'echo x >> /data/big.bin'
op bigread 'cat /data/big.bin > /dev/null && wc -c /data/big.bin'
op bigdelete 'rm /data/big.bin'
op combined 'echo more >> /data/app.txt; rm /data/del.txt; mkdir /data/new; echo n > /data/new/f'

note "inspect --size agrees with ps -s; the image is unchanged"
step inspect --size --format '{{.Name}} {{.SizeRw}} {{.SizeRootFs}}' cf03_append cf03_delete cf03_bigappend cf03_bigdelete
step image inspect --format '{{.Size}}' cf03_img:1
step run --rm --name cf03_check cf03_img:1 sh -c 'cat /data/app.txt /data/del.txt; ls /data/dir; wc -c < /data/big.bin'

pipe '$D ps -aq --filter name=cf03_ | wc -l'
pipe '$D rm $($D ps -aq --filter name=cf03_) | wc -l'
step rmi cf03_img:1
