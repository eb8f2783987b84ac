#!/bin/bash
# Run the conformance scenarios with a CLI, normalize, diff against golden/.
#
#   run.sh --cli "<command>" [--only NN[,NN...]]... [--update] [--keep]
#
#   --cli CMD   the CLI under test: docker, mydock, "node bin/mydock.js"...
#               Exported to the scenarios as $D (word-split). Relative paths
#               among its words are made absolute (scenarios cd elsewhere).
#   --only NN   run only the scenarios with these numbers (or names);
#               repeatable and comma-separated.
#   --update    write the normalized outputs to golden/ instead of diffing
#               (capture.sh does this with --cli docker).
#   --keep      keep the temp MYDOCK_ROOT of a non-docker CLI.
#
# docker: DOCKER_HOST defaults to the conformance engine's socket when it
# exists; make-base.sh imports mbase:1 when it is missing or stale.
# Any other CLI: MYDOCK_ROOT is a fresh temp dir and make-base.sh imports
# mbase:1 into it first, so every run starts from the same state.
#
# Raw and normalized outputs of the last run are kept under
# $CONF_OUT/results/<cli-name>/NN-name.{raw,out} (CONF_OUT defaults to
# ${TMPDIR:-/tmp}/mydock-conformance). Each scenario has a timeout of
# $CONF_TIMEOUT seconds (300). Ends with "N passed, M failed"; exit 1 if M>0.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${CONF_OUT:-${TMPDIR:-/tmp}/mydock-conformance}
TIMEOUT=${CONF_TIMEOUT:-300}
CLI='' UPDATE=0 KEEP=0 ONLY=()

while [ $# -gt 0 ]; do
  case $1 in
    --cli) CLI=${2-}; shift 2 ;;
    --cli=*) CLI=${1#--cli=}; shift ;;
    --only) IFS=, read -r -a more <<<"${2-}"; ONLY+=("${more[@]}"); shift 2 ;;
    --only=*) IFS=, read -r -a more <<<"${1#--only=}"; ONLY+=("${more[@]}"); shift ;;
    --update) UPDATE=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$CLI" ] || { echo 'usage: run.sh --cli "<command>" [--only NN] [--update] [--keep]' >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node is required" >&2; exit 2; }

# Absolutize relative file arguments: "node bin/mydock.js" must still work
# after a scenario cd's into its temp dir.
words=()
read -r -a raw_words <<<"$CLI"
for w in "${raw_words[@]}"; do
  if [[ $w != /* && $w != -* && -e $w ]]; then w=$PWD/$w; fi
  words+=("$w")
done
export D="${words[*]}"
CLI_NAME=$(basename "${words[0]}")
if [ "$CLI_NAME" = node ] && [ ${#words[@]} -gt 1 ]; then CLI_NAME=$(basename "${words[1]}" .js); fi
NORM=()
for w in "${words[@]}"; do NORM+=(--cli "$(basename "$w" .js)"); done

MYROOT=''
if [ "$CLI_NAME" = docker ]; then
  if [ -z "${DOCKER_HOST:-}" ] && [ -S /tmp/realdocker/docker.sock ]; then
    export DOCKER_HOST=unix:///tmp/realdocker/docker.sock
  fi
  $D info >/dev/null 2>&1 || { echo "run.sh: no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-})" >&2; exit 2; }
  NORM+=(--root "$($D info --format '{{.DockerRootDir}}')")
  "$HERE/make-base.sh" >/dev/null || exit 2
else
  [ "$UPDATE" = 1 ] && { echo "run.sh: --update is for --cli docker only" >&2; exit 2; }
  MYROOT=$(mktemp -d "${TMPDIR:-/tmp}/mydock-root.XXXXXX")
  export MYDOCK_ROOT=$MYROOT
  NORM+=(--root "$MYROOT")
  if ! base_out=$("$HERE/make-base.sh" 2>&1); then
    echo "run.sh: importing mbase:1 with '$D' failed:" >&2
    printf '%s\n' "$base_out" >&2
    rm -rf "$MYROOT"
    exit 2
  fi
fi
cleanup() { if [ -n "$MYROOT" ] && [ "$KEEP" = 0 ]; then rm -rf "$MYROOT"; fi; }
trap cleanup EXIT

RES=$OUT/results/$CLI_NAME
mkdir -p "$RES" "$HERE/golden"

wanted() {
  local name=$1 p
  [ ${#ONLY[@]} -eq 0 ] && return 0
  for p in "${ONLY[@]}"; do
    case $name in "$p"|"$p"-*|"$p".sh) return 0 ;; esac
  done
  return 1
}

pass=0 fail=0 failed=()
for script in "$HERE"/scenarios/[0-9][0-9]-*.sh; do
  name=$(basename "$script" .sh)
  wanted "$name" || continue
  raw=$RES/$name.raw out=$RES/$name.out golden=$HERE/golden/$name.out
  timeout -k 10 "$TIMEOUT" bash "$script" >"$raw" 2>&1 </dev/null
  [ $? -eq 124 ] && echo "## conformance: scenario timed out after ${TIMEOUT}s" >>"$raw"
  node "$HERE/normalize.mjs" "${NORM[@]}" <"$raw" >"$out"
  if [ "$UPDATE" = 1 ]; then
    cp "$out" "$golden"
    echo "captured golden/$name.out"
    pass=$((pass + 1))
  elif [ -f "$golden" ] && cmp -s "$golden" "$out"; then
    echo "ok   $name"
    pass=$((pass + 1))
  else
    echo "FAIL $name"
    if [ -f "$golden" ]; then
      diff -u --label "golden/$name.out" --label "$CLI_NAME/$name.out" "$golden" "$out"
    else
      echo "(no golden/$name.out)"
    fi
    fail=$((fail + 1))
    failed+=("$name")
  fi
done

[ $fail -gt 0 ] && echo "failed: ${failed[*]}"
[ -n "$MYROOT" ] && [ "$KEEP" = 1 ] && echo "MYDOCK_ROOT kept at $MYROOT"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
