#!/bin/bash
# 08 --volumes-from: a container gets every volume (named and anonymous) and
# bind of another, with the same RW unless :ro; the data container does not
# have to run.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf08_
  rm_volumes cf08_
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT
mkdir shared
echo 'on host' > shared/h.txt

note "a data container that is only created, never started"
step create --name cf08_data -v cf08_named:/named -v /anon -v "$CTX/shared:/shared" mbase:1 true
ANON=$($D inspect --format '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}' cf08_data 2>/dev/null)
step volume inspect --format '{{.Name}}' "$ANON"
step run --rm --name cf08_w --volumes-from cf08_data mbase:1 sh -c 'echo n > /named/n; echo a > /anon/a; cat /shared/h.txt; ls /'
step run --rm --volumes-from cf08_data mbase:1 cat /named/n /anon/a

note "the consumer's .Mounts mirror the data container's; VolumesFrom records the name"
step run --name cf08_c --volumes-from cf08_data mbase:1 true
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{json .}}{{println}}{{end}}" cf08_c | grep . | sort'
step inspect --format '{{json .HostConfig.VolumesFrom}} {{json .HostConfig.Binds}}' cf08_c
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{json .}}{{println}}{{end}}" cf08_data | grep . | sort'
step ps -a --filter volume=cf08_named --filter name=cf08_ --format '{{.Names}}'

note ":ro makes every inherited mount read-only"
step run --rm --volumes-from cf08_data:ro mbase:1 cat /named/n
step run --rm --volumes-from cf08_data:ro mbase:1 sh -c 'echo x > /named/x'
step run --rm --volumes-from cf08_data:ro mbase:1 sh -c 'echo x > /anon/x'
step run --rm --volumes-from cf08_data:ro mbase:1 sh -c 'echo x > /shared/x'
step run --name cf08_ro --volumes-from cf08_data:ro mbase:1 true
pipe '$D inspect --format "{{range .Mounts}}{{.Destination}} {{.Type}} {{.Mode}} {{.RW}}{{println}}{{end}}" cf08_ro | grep . | sort'
step inspect --format '{{json .HostConfig.VolumesFrom}}' cf08_ro

note "chained: from a consumer, and combined with an own -v"
step run --rm --volumes-from cf08_c -v cf08_own:/own mbase:1 sh -c 'ls /named /anon; ls -A /own'
step run --rm --volumes-from cf08_data --volumes-from cf08_ro mbase:1 cat /named/n

note "errors: unknown source container; a -v on the same destination wins"
step run --rm --volumes-from cf08_nosuch mbase:1 true
step run --rm --volumes-from cf08_data -v cf08_own:/named mbase:1 ls -A /named

note "rm -v of the data container keeps the anonymous volume while others use it"
step rm -v cf08_data
step volume inspect --format '{{.Name}}' "$ANON"
step rm -v cf08_c cf08_ro
step volume inspect --format '{{.Name}}' "$ANON"
step volume rm cf08_named cf08_own
