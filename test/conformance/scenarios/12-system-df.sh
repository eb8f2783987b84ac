#!/bin/bash
# 12 system df: the summary and verbose tables. The engine is shared, so the
# totals (TOTAL/ACTIVE/SIZE/RECLAIMABLE, and any row of objects this scenario
# does not own, including mbase:1) are never pinned: only headers, section
# titles, the TYPE column and this scenario's own rows. `system prune` is
# left out: it would delete other users' objects.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf12_
  rm_volumes cf12_
  rm_images 'cf12_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

printf 'FROM mbase:1\nRUN head -c 100000 /bin/busybox > /base.bin\n' > Dockerfile.base
printf 'FROM cf12_base:1\nRUN head -c 20000 /bin/busybox > /child.bin\n' > Dockerfile.child
step build -q -f Dockerfile.base -t cf12_base:1 .
# distinct creation seconds keep the image rows in a stable order
sleep 1
step build -q -f Dockerfile.child -t cf12_child:1 .
step run -d --name cf12_c1 -v cf12_vol:/data cf12_child:1 sh -c 'head -c 3000 /bin/busybox > /data/v; head -c 700 /bin/busybox > /c; exec sleep 600'
step run --name cf12_c2 -v cf12_vol:/data -v cf12_empty:/e cf12_base:1 sh -c 'echo x > /x'
step volume create cf12_unused
# wait until the first container's writes are done
for _ in $(seq 50); do $D exec cf12_c1 test -s /c 2>/dev/null && break; sleep 0.1; done

note "summary: header and row types only"
pipe '$D system df | sed -n 1p'
step system df --format '{{.Type}}'
pipe '$D system df --format "{{.Type}}|{{.TotalCount}}|{{.Active}}|{{.Size}}|{{.Reclaimable}}" | cut -d"|" -f1'

note "verbose: section titles and table headers"
pipe '$D system df -v | grep -E "space usage:|usage:|^(REPOSITORY|CONTAINER ID|VOLUME NAME|CACHE ID)"'
note "verbose: this scenario's rows (images share the base layers: SHARED SIZE vs UNIQUE SIZE)"
pipe '$D system df -v | grep -E "^cf12_" | sort'
# sorted by the IMAGE column (the IDs in the first column are random)
pipe '$D system df -v | grep -E "cf12_c[0-9]+\$" | sort -k2,2'
pipe '$D system df -v | grep -E "^cf12_(vol|empty|unused) " | sort'
step image inspect --format '{{.Size}}' cf12_base:1 cf12_child:1
step ps -a -s --filter name=cf12_ --format '{{.Names}} {{.Size}}'

note "removing the running container changes its volume's LINKS"
step rm -f cf12_c1
pipe '$D system df -v | grep -E "^cf12_(vol|empty|unused) " | sort'
pipe '$D system df -v | grep -E "^cf12_" | sort'

step rm -v cf12_c2
step volume rm cf12_vol cf12_empty cf12_unused
step rmi cf12_child:1 cf12_base:1
