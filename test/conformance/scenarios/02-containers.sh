#!/bin/bash
# 02 containers & ps -s: five containers on one image share its layers; a
# container's SIZE is only its writable layer, "virtual" adds the image.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf02_
  rm_images 'cf02_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

cat > Dockerfile <<'DF'
FROM mbase:1
RUN head -c 500000 /bin/busybox > /data.bin
DF
step build -q -t cf02_img:1 .

note "five containers; ps lists newest first"
for n in 1 2 3 4 5; do
  step run -d --name cf02_c$n cf02_img:1 sleep 600
done
step ps --filter name=cf02_
step ps --size --filter name=cf02_
step ps -s --filter name=cf02_ --format '{{.Names}} {{.Size}}'
step ps -s --filter name=cf02_ --format 'table {{.Names}}\t{{.Image}}\t{{.Command}}\t{{.Size}}'

note "write 5 bytes in three of them"
for n in 1 3 5; do
  step exec cf02_c$n sh -c 'printf hello > /out.txt'
done
step exec cf02_c3 cat /out.txt
step exec cf02_c2 cat /out.txt
step ps -s --filter name=cf02_ --format '{{.Names}} {{.Size}}'
step ps --size --filter name=cf02_ --format 'table {{.ID}}\t{{.Names}}\t{{.Size}}'
step inspect --size --format '{{.Name}} {{.SizeRw}} {{.SizeRootFs}}' cf02_c1 cf02_c2
step inspect --format '{{.Name}} {{.SizeRw}} {{.SizeRootFs}}' cf02_c1
step container inspect --size --format '{{json .SizeRw}}' cf02_c3
for n in 1 2; do
  pipe "\$D diff cf02_c$n | sort -k2"
done
step image inspect --format '{{.Size}}' cf02_img:1

note "a created (never started) container: 0B, status Created"
step create --name cf02_new cf02_img:1 sh -c 'echo x > /y'
step ps -a -s --filter name=cf02_new --format '{{.Names}} {{.Status}} {{.Size}}'
step start -a cf02_new
step ps -a -s --filter name=cf02_new --format '{{.Names}} {{.Size}}'
step diff cf02_new

step rm -f cf02_c1 cf02_c2 cf02_c3 cf02_c4 cf02_c5 cf02_new
step rmi cf02_img:1
