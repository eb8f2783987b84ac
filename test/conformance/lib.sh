# Step helpers shared by every conformance scenario. Sourced, never run.
#
# A scenario is a bash script in Docker CLI syntax. It talks to the CLI under
# test only through $D, which is word-split on purpose so that a multi-word
# command ("node /abs/path/bin/mydock.js") works exactly like "docker".
#
# Output format (what normalize.mjs and the goldens expect):
#   ## step: $D <args>        a CLI call (the literal text "$D", so the header
#                             is the same whatever CLI runs)
#   ## step: (host) <cmd>     a command run on the host
#   ## step: <shell text>     a pipeline, eval'd with pipefail
#   <stdout and stderr of the step, interleaved as written>
#   rc=<exit status>
#   ## note: <text>           a comment line that explains the next steps
# Output that does not end in a newline runs into "rc=" ("hellorc=0"): that
# is exactly what was printed, and it is pinned too.
#
# Helpers:
#   step ARGS...    CLI step
#   host ARGS...    host step
#   step_nolog ARGS...  CLI step minus the client's racy log lines
#   pipe 'TEXT'     pipeline step; write "$D" inside single quotes so the
#                   header shows $D and not the expanded command
#   note TEXT       note line
#   silent ARGS...  CLI call with all output discarded (setup and cleanup)
#   ctx_init        create and enter the scenario's temp dir $CTX
#   ctx_done        leave and remove it

set -u
: "${D:=docker}"
export D
# Docker 28's CLI uses the classic builder only when told to; it is the one
# whose output (Step N/M, ---> ids, history rows) the project reproduces.
export DOCKER_BUILDKIT=0
# Byte-exact sort order for anything we sort ourselves.
export LC_ALL=C

# Quote arguments shell-style so a header is readable and unambiguous.
_quote() {
  local out='' a
  for a in "$@"; do
    if [[ -z $a || $a == *[!A-Za-z0-9_./:=,@%+-]* ]]; then
      a="'${a//\'/\'\\\'\'}'"
    fi
    out+="${out:+ }$a"
  done
  printf '%s' "$out"
}

step() {
  printf '## step: $D %s\n' "$(_quote "$@")"
  $D "$@" 2>&1 </dev/null
  echo "rc=$?"
}

host() {
  printf '## step: (host) %s\n' "$(_quote "$@")"
  "$@" 2>&1 </dev/null
  echo "rc=$?"
}

# Like step, but drops the client's logrus lines ('time="..." level=error
# msg="Can't add file ... closed pipe"') that `docker cp` into a missing
# container or directory sometimes prints, racily, before its error.
step_nolog() {
  printf '## step: $D %s\n' "$(_quote "$@")"
  local tmp rc
  tmp=$(mktemp)
  $D "$@" >"$tmp" 2>&1 </dev/null
  rc=$?
  sed '/^time="[^"]*" level=/d' "$tmp"
  rm -f "$tmp"
  echo "rc=$rc"
}

pipe() {
  printf '## step: %s\n' "$1"
  ( set -o pipefail; eval "$1" ) 2>&1 </dev/null
  echo "rc=$?"
}

note() { printf '## note: %s\n' "$*"; }

silent() { $D "$@" >/dev/null 2>&1 </dev/null; }

# The temp dir's basename matches cfctx.XXXXXX, which normalize.mjs turns
# into <ctx> wherever it appears (build context paths, bind sources).
ctx_init() {
  CTX=$(mktemp -d "${TMPDIR:-/tmp}/cfctx.XXXXXX") || exit 99
  cd "$CTX" || exit 99
}

ctx_done() {
  cd / && rm -rf "$CTX"
}

# Remove containers whose name starts with $1 (quietly; start/end cleanup).
rm_containers() {
  local c
  for c in $($D ps -aq --filter "name=$1" 2>/dev/null); do silent rm -f -v "$c"; done
}

# Remove volumes whose name starts with $1.
rm_volumes() {
  local v
  for v in $($D volume ls -q --filter "name=$1" 2>/dev/null); do silent volume rm -f "$v"; done
}

# Remove images whose repository matches the reference pattern $1 ("cf01_*").
rm_images() {
  local i
  for i in $($D images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$1" 2>/dev/null); do
    silent rmi -f "$i"
  done
}

# Filter: sort the item lines of "Deleted Volumes:"/"Deleted Containers:"/
# "Deleted Images:" blocks (prune prints them in map order, i.e. randomly);
# every other line passes through unchanged.
sort_prune_blocks() {
  local line in_block=0 block=()
  while IFS= read -r line || [ -n "$line" ]; do
    if [ $in_block = 1 ]; then
      if [ -z "$line" ]; then
        [ ${#block[@]} -gt 0 ] && printf '%s\n' "${block[@]}" | sort
        block=() in_block=0
        printf '\n'
      else
        block+=("$line")
      fi
      continue
    fi
    printf '%s\n' "$line"
    case $line in 'Deleted Volumes:'|'Deleted Containers:'|'Deleted Images:') in_block=1 ;; esac
  done
  [ ${#block[@]} -gt 0 ] && printf '%s\n' "${block[@]}" | sort
  return 0
}
