#!/bin/bash
# 10 cp / export / import: copying into and out of containers (files, dirs,
# tar streams), what a copy does to the container layer, export of a
# container's flattened filesystem, import of a tar as a one-layer image.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf10_
  rm_images 'cf10_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

mkdir -p src/dir/sub out
echo 'file one' > src/one.txt
echo 'in dir' > src/dir/a.txt
echo 'in sub' > src/dir/sub/b.txt
ln -s one.txt src/link.txt

step run -d --name cf10_c mbase:1 sleep 600

note "host -> container: a file, into a directory, renamed, a directory, a symlink"
step cp src/one.txt cf10_c:/tmp/
step cp src/one.txt cf10_c:/tmp/renamed.txt
step cp src/dir cf10_c:/tmp/
step cp src/dir cf10_c:/tmp/dir
step cp src/dir/. cf10_c:/root/
step cp src/link.txt cf10_c:/tmp/
step exec cf10_c sh -c 'cd /tmp && find . | sort && readlink link.txt && cat renamed.txt'
step exec cf10_c ls -A /root
pipe '$D diff cf10_c | sort -k2'
step ps -s --filter name=cf10_c --format '{{.Names}} {{.Size}}'
note "the 'Successfully copied' line is printed only when stderr is a terminal"
pipe 'script -qec "$D cp src/one.txt cf10_c:/tmp/tty.txt" /dev/null'
pipe 'script -qec "$D cp -q src/one.txt cf10_c:/tmp/tty.txt" /dev/null'

note "container -> host: a file, a directory, a symlink (-L follows it)"
step cp cf10_c:/tmp/renamed.txt out/
step cp cf10_c:/etc/passwd out/pw
step cp cf10_c:/tmp/dir out/
step cp cf10_c:/tmp/link.txt out/
step cp -L cf10_c:/tmp/link.txt out/followed.txt
pipe 'cd out && find . | sort && cat pw renamed.txt && readlink link.txt; [ -L followed.txt ] || cat followed.txt'
pipe 'script -qec "$D cp cf10_c:/tmp/dir out/dir2" /dev/null'

note "cp - streams a tar (dir listed sorted, since tar order follows readdir)"
pipe '$D cp cf10_c:/tmp/dir - | tar -tv | sort -k6 | tr -s " " | cut -d" " -f1,2,3,6-'
pipe '$D cp cf10_c:/tmp/one.txt - | tar -xO'
pipe 'tar -C src -cf - one.txt dir | $D cp - cf10_c:/var/lib/'
# sorted: find lists entries in the host filesystem's directory order
pipe '$D exec cf10_c find /var/lib | sort'
pipe 'echo not a tar | $D cp - cf10_c:/tmp/'

note "cp works on a stopped container"
step stop -t 0 cf10_c
step cp src/one.txt cf10_c:/stopped.txt
step cp cf10_c:/stopped.txt out/stopped.txt
host cat out/stopped.txt

note "cp errors"
step_nolog cp cf10_c:/no/such/file out/
step_nolog cp src/nosuch.txt cf10_c:/tmp/
step_nolog cp src/one.txt cf10_c:/no/such/dir/
step_nolog cp src/dir cf10_c:/tmp/one.txt
step_nolog cp src/one.txt cf10_c:/tmp/dir/
step_nolog cp cf10_c:/tmp/dir out/one-file-not-dir.txt/
step_nolog cp src/one.txt src/two.txt
step_nolog cp cf10_c:/tmp cf10_c:/root

note "export: the container's whole filesystem as one tar (image layers + container layer)"
pipe '$D export cf10_c | tar -t | sort'
step export -o out/c.tar cf10_c
pipe 'tar -tf out/c.tar | grep -c .'

note "import: a tar becomes a one-layer image; -c applies changes, -m sets the comment"
mkdir imp
echo 'imported file' > imp/hello.txt
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C imp -cf imp.tar .
step import imp.tar cf10_imp:1
step image history cf10_imp:1
pipe 'cat imp.tar | $D import -m "from stdin" -c "CMD [\"cat\", \"/hello.txt\"]" -c "ENV X=1" - cf10_imp:2'
step image history --format '{{.CreatedBy}}|{{.Size}}|{{.Comment}}' cf10_imp:2
step image inspect --format '{{json .Config.Cmd}} {{json .Config.Env}} {{.Comment}} {{.Size}} {{len .RootFS.Layers}}' cf10_imp:2
step image inspect --format '{{json .Config}}' cf10_imp:1
step run --rm --name cf10_ri cf10_imp:2
step image inspect --format '{{index .RootFS.Layers 0}}' cf10_imp:1 cf10_imp:2
note "export | import flattens a container into one layer"
pipe '$D export cf10_c | $D import - cf10_flat:1'
step image history --format '{{.Size}}|{{.Comment}}' cf10_flat:1
step run --rm cf10_flat:1 cat /stopped.txt /tmp/dir/a.txt
step import out/nosuch.tar cf10_bad:1
pipe 'echo not a tar | $D import - cf10_bad:1'

step rm cf10_c
step rmi cf10_imp:1 cf10_imp:2 cf10_flat:1
