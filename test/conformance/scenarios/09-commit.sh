#!/bin/bash
# 09 commit: a container's writable layer becomes a new image layer. The
# history row's CREATED BY is the container's command, COMMENT the message;
# -c applies Dockerfile instructions; volume contents are not committed.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf09_
  rm_volumes cf09_
  rm_images 'cf09_*'
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

step run --name cf09_src -v cf09_vol:/data mbase:1 sh -c 'mkdir /app && echo hello > /app/hello.txt && head -c 5000 /bin/busybox > /app/blob && echo in-volume > /data/v.txt && rm /etc/group'
step ps -a -s --filter name=cf09_src --format '{{.Names}} {{.Size}}'
pipe '$D diff cf09_src | sort -k2'

note "commit with message, author and changes"
step commit -m 'add app files' -a 'Conformance Suite <cf@example.com>' -c 'CMD ["cat", "/app/hello.txt"]' -c 'ENV STAGE=committed' -c 'WORKDIR /app' cf09_src cf09_img:1
step images --filter reference=cf09_img --format '{{.Repository}}:{{.Tag}} {{.Size}}'
step image history cf09_img:1
step image history --no-trunc --format '{{.CreatedBy}}|{{.Size}}|{{.Comment}}' cf09_img:1
step image inspect --format '{{.Author}}|{{.Comment}}|{{json .Config.Cmd}}|{{json .Config.Env}}|{{.Config.WorkingDir}}|{{.Size}}' cf09_img:1
step image inspect --format '{{len .RootFS.Layers}} {{.Container | len}} {{json .Config.Volumes}}' cf09_img:1
step image inspect --format '{{.Parent}}' cf09_img:1

note "the new image has the files and the deletion, not the volume's data"
step run --rm cf09_img:1
step run --rm cf09_img:1 sh -c 'pwd; echo $STAGE; ls /app; ls -A /data; ls /etc'
step run --rm -v cf09_vol:/data cf09_img:1 cat /data/v.txt

note "commit without a name makes a dangling image; without -m the COMMENT is empty"
step run --name cf09_two mbase:1 sh -c 'echo 2 > /two'
out=$($D commit cf09_two 2>&1 </dev/null); rc=$?
printf '## step: $D commit cf09_two\n%s\nrc=%s\n' "$out" "$rc"
step tag "$out" cf09_two:1
step image history --format '{{.CreatedBy}}|{{.Size}}|{{.Comment}}' cf09_two:1
step image inspect --format '{{json .Config.Cmd}} {{.Comment}}' cf09_two:1

note "commit of a running container (paused during the commit by default), tag forms"
step run -d --name cf09_run mbase:1 sh -c 'echo live > /live; exec sleep 600'
step exec cf09_run cat /live
step commit cf09_run cf09_run
step commit -p=false -c 'LABEL cf09=yes' -c 'EXPOSE 80' -c 'USER nobody' -c 'ENTRYPOINT ["sh"]' cf09_run cf09_run:v2
# both commits can fall in the same second: sort
pipe '$D images --filter reference=cf09_run --format "{{.Repository}}:{{.Tag}}" | sort'
step image inspect --format '{{json .Config.Labels}} {{json .Config.ExposedPorts}} {{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}' cf09_run:v2
step image history --format '{{.CreatedBy}}|{{.Size}}' cf09_run:latest

note "commit errors: bad change, bad reference"
step commit -c 'BOGUS x' cf09_run cf09_bad:1
step commit -c 'RUN echo hi' cf09_run cf09_bad:1
step commit cf09_run Cf09_Bad

note "a committed image is a parent like any other: rmi needs its containers gone"
step rm -f cf09_src cf09_two cf09_run
step rmi cf09_img:1 cf09_two:1 cf09_run cf09_run:v2
step volume rm cf09_vol
