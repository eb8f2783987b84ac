#!/bin/bash
# Build the conformance base image mbase:1 and import it into the engine
# under test.
#
#   make-base.sh [--tar PATH] [--no-import]
#
# The rootfs is Debian's statically linked /bin/busybox (package
# busybox-static, installed with apt-get when missing) plus:
#   /bin/<applet> -> busybox symlinks for the applets the scenarios use,
#   /etc/passwd and /etc/group (root, nobody/nogroup),
#   empty /tmp (1777), /root, /var/lib.
# It is packed deterministically (sorted names, owner 0:0, every mtime 0) so
# that every engine imports the same bytes and gets the same layer DiffID.
#
# Env: D (default docker) is the CLI to import with; the import is skipped
# when mbase:1 already holds exactly this tar as its layer.
set -u

: "${D:=docker}"
TAR=${CONF_BASE_TAR:-${TMPDIR:-/tmp}/mydock-conformance/mbase-rootfs.tar}
IMPORT=1
while [ $# -gt 0 ]; do
  case $1 in
    --tar) TAR=$2; shift 2 ;;
    --no-import) IMPORT=0; shift ;;
    *) echo "make-base.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

APPLETS="sh ls cat echo printf mkdir rm cp mv chmod touch ln du df find sleep tail head wc env id
grep sed sort tr cut tee xargs basename dirname pwd true false test [ stat uname hostname date seq
dd tar gzip gunzip"

# The dynamically linked busybox of package "busybox" would not run in an
# empty rootfs, so insist on the static one.
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  echo "make-base.sh: installing busybox-static" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update && apt-get install -y --no-install-recommends busybox-static; } >/dev/null 2>&1 || {
    echo "make-base.sh: apt-get install busybox-static failed" >&2
    exit 1
  }
fi
[ -x /bin/busybox ] || { echo "make-base.sh: /bin/busybox missing" >&2; exit 1; }

mkdir -p "$(dirname "$TAR")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
umask 022
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/lib"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp /bin/busybox "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR
chmod 644 "$root/etc/passwd" "$root/etc/group"
find "$root" -exec touch -h -d @0 {} +
# Write beside the target and rename, so that concurrent runs never read a
# half-written tar.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=gnu \
  -C "$root" -cf "$work/base.tar" . && cp "$work/base.tar" "$TAR.$$" && mv -f "$TAR.$$" "$TAR" || {
  echo "make-base.sh: packing the rootfs failed" >&2
  exit 1
}
sum=$(sha256sum < "$work/base.tar" | cut -d' ' -f1)
echo "base rootfs: $TAR (sha256:$sum)"

[ "$IMPORT" = 1 ] || exit 0
# The layer DiffID of an imported uncompressed tar is the tar's sha256.
have=$($D image inspect --format '{{index .RootFS.Layers 0}}' mbase:1 2>/dev/null)
if [ "$have" = "sha256:$sum" ]; then
  echo "mbase:1 already imported"
  exit 0
fi
$D import "$work/base.tar" mbase:1 || { echo "make-base.sh: import failed" >&2; exit 1; }
