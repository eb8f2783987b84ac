#!/bin/bash
# 13 save / load: the archive layout (legacy docker-save format on this
# engine: manifest.json, repositories, <config>.json, <v1id>/layer.tar), the
# whiteouts inside a layer tar, a round trip that keeps the image ID, the
# <missing> history rows of a loaded image, load -q, errors.
. "$(dirname "$0")/../lib.sh"

IMG_ID=''
cleanup() {
  rm_containers cf13_
  rm_images 'cf13_*'
  [ -n "$IMG_ID" ] && silent rmi -f "$IMG_ID"
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

cat > Dockerfile <<'DF'
FROM mbase:1
RUN mkdir /app && echo one > /app/one && echo two > /app/two
RUN rm /app/one /etc/group && echo three > /app/three
CMD ["cat", "/app/two"]
DF
step build -q -t cf13_img:1 .
IMG_ID=$($D image inspect --format '{{.Id}}' cf13_img:1 2>/dev/null)

note "the archive, read through manifest.json (Engine 20.10 writes the legacy layout, Docker 25+ and mydock the OCI layout with manifest.json; only what both share is pinned)"
step save -o img.tar cf13_img:1
manifest() { tar -xOf "$1" manifest.json | node -e 'for (const e of JSON.parse(require("fs").readFileSync(0))) console.log(JSON.stringify(e.RepoTags), e.Layers.length)'; }
layers_of() { tar -xOf "$1" manifest.json | node -e 'for (const e of JSON.parse(require("fs").readFileSync(0))) for (const l of e.Layers) console.log(l)'; }
pipe 'manifest img.tar'
pipe 'tar -xOf img.tar repositories | node -e "console.log(Object.keys(JSON.parse(require(\"fs\").readFileSync(0))))"'
note "the layer tars: the base as imported, the RUN layers with their changes and .wh. whiteouts"
n=0
for l in $(layers_of img.tar); do
  n=$((n + 1))
  if [ $n -eq 1 ]; then
    pipe "tar -xOf img.tar \"\$(layers_of img.tar | sed -n ${n}p)\" | tar -t | sed -n 1,5p"
  else
    pipe "tar -xOf img.tar \"\$(layers_of img.tar | sed -n ${n}p)\" | tar -tv | tr -s ' ' | cut -d' ' -f1,2,3,6- | sort -k4"
  fi
done

note "round trip: rmi, then load gives back the same ID; history shows <missing> below the top"
step rmi cf13_img:1
step load -i img.tar
step image inspect --format '{{.Id}}' cf13_img:1
step image history cf13_img:1
step image history -q cf13_img:1
step run --rm cf13_img:1
step run --rm cf13_img:1 ls -A /app /etc
note "load of an image that is already there; load -q; load from stdin"
step load -i img.tar
step load -q -i img.tar
pipe '$D load < img.tar'
pipe '$D save cf13_img:1 | $D load'

note "save by ID: RepoTags null, load says 'Loaded image ID:'"
step save -o byid.tar "$IMG_ID"
pipe 'manifest byid.tar'
step rmi cf13_img:1
step load -i byid.tar
step images --filter reference=cf13_img
step tag "$IMG_ID" cf13_img:1

note "two tags of one image, and two images, in one archive"
step tag cf13_img:1 cf13_img:alias
printf 'FROM mbase:1\nRUN echo other > /other\n' > Dockerfile.other
step build -q -f Dockerfile.other -t cf13_other:1 .
step save -o two.tar cf13_img:1 cf13_img:alias cf13_other:1
pipe 'manifest two.tar | sort'
step rmi cf13_img:1 cf13_img:alias cf13_other:1
pipe '$D load -i two.tar | sort'
pipe '$D images --filter "reference=cf13_*" --format "{{.Repository}}:{{.Tag}}" | sort'

note "errors"
step save cf13_nosuch:1 -o x.tar
step load -i no-such-file.tar
pipe 'echo not a tar | $D load'
pipe 'script -qec "$D save cf13_img:1" /dev/null'
pipe 'script -qec "$D load" /dev/null < /dev/null'

step rmi cf13_img:1 cf13_img:alias cf13_other:1
