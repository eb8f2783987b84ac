#!/bin/bash
# 04 lifecycle: create/start/stop/kill/wait/restart/pause/unpause/rename/rm,
# container prune, statuses and exit codes, logs, run options (-e -w
# --entrypoint --hostname -u --read-only -l), ps filters and limits.
. "$(dirname "$0")/../lib.sh"

cleanup() {
  rm_containers cf04_
  for c in $($D ps -aq --filter label=cf04 2>/dev/null); do silent rm -f "$c"; done
}
cleanup
ctx_init
trap 'cleanup; ctx_done' EXIT

note "create -> Created; start prints the name; inspect State"
step create --name cf04_a mbase:1 sh -c 'echo started; exec sleep 600'
step ps -a --filter name=cf04_a --format '{{.Names}}|{{.Status}}|{{.Command}}'
step inspect --format '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.State.Pid}} {{.State.StartedAt}} {{.State.FinishedAt}}' cf04_a
step inspect --format '{{.Path}} {{json .Args}} {{json .Config.Cmd}} {{json .Config.Entrypoint}}' cf04_a
step start cf04_a
step ps --filter name=cf04_a --format '{{.Names}}|{{.Status}}|{{.State}}'
step inspect --format '{{.State.Status}} {{.State.Running}} {{.State.Paused}} {{.State.ExitCode}}' cf04_a

note "pause / unpause"
step pause cf04_a
step ps --filter name=cf04_a --format '{{.Names}}|{{.Status}}|{{.State}}'
step inspect --format '{{.State.Status}} {{.State.Running}} {{.State.Paused}}' cf04_a
step unpause cf04_a
step ps --filter name=cf04_a --format '{{.Names}}|{{.Status}}|{{.State}}'

note "stop: sh/sleep as PID 1 ignore SIGTERM, so stop kills after the timeout: 137"
step stop -t 1 cf04_a
step ps -a --filter name=cf04_a --format '{{.Names}}|{{.Status}}|{{.State}}'
step inspect --format '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}} {{.State.OOMKilled}} {{json .State.Error}}' cf04_a
step wait cf04_a
step stop cf04_a
note "restart of a stopped container starts it; logs keep both runs"
step restart -t 1 cf04_a
step ps --filter name=cf04_a --format '{{.Names}}|{{.Status}}'
step inspect --format '{{.RestartCount}} {{.State.Status}}' cf04_a
note "kill sends SIGKILL: 137; a program that traps TERM exits with its own code on stop"
step kill cf04_a
step wait cf04_a
step logs cf04_a
step run -d --name cf04_trap mbase:1 sh -c 'trap "echo got TERM; exit 5" TERM; echo ready; while true; do sleep 0.1; done'
# the trap must be installed before stop signals it
for _ in $(seq 50); do [ "$($D logs cf04_trap 2>/dev/null)" = ready ] && break; sleep 0.1; done
step stop cf04_trap
step wait cf04_trap
step logs cf04_trap
step ps -a --filter name=cf04_trap --format '{{.Names}}|{{.Status}}'
step kill -s USR1 cf04_trap
step run -d --name cf04_k mbase:1 sh -c 'trap "echo got HUP; exit 9" HUP; echo ready; while true; do sleep 0.1; done'
for _ in $(seq 50); do [ "$($D logs cf04_k 2>/dev/null)" = ready ] && break; sleep 0.1; done
step kill -s HUP cf04_k
step wait cf04_k
step logs cf04_k

note "wait returns the program's exit code; run exits with it too"
step run -d --name cf04_w mbase:1 sh -c 'sleep 1; exit 4'
step wait cf04_w
step ps -a --filter name=cf04_w --format '{{.Names}}|{{.Status}}|{{.State}}'
# stdout and stderr travel through separate pipes inside the engine, so
# their relative order is only stable with a pause between the writes.
step run --name cf04_fg mbase:1 sh -c 'echo out; sleep 0.3; echo err >&2; exit 2'
step start cf04_fg
step wait cf04_fg
step start -a cf04_fg
step inspect --format '{{.State.ExitCode}}' cf04_fg

note "logs: stdout and stderr, --tail, -t (timestamps)"
step run -d --name cf04_l mbase:1 sh -c 'echo a; sleep 0.3; echo b >&2; sleep 0.3; seq 1 5'
step wait cf04_l
step logs cf04_l
step logs --tail 2 cf04_l
step logs --tail 0 cf04_l
step logs -t --tail 1 cf04_l
step logs -n 1 cf04_l
pipe '$D logs cf04_l 2>/dev/null'
pipe '$D logs cf04_l 2>&1 >/dev/null'

note "rename"
step rename cf04_l cf04_l2
step ps -a --filter name=cf04_l --format '{{.Names}}'
step inspect --format '{{.Name}}' cf04_l2

note "run --rm removes the container; -e -w --entrypoint --hostname -u"
step run --rm --name cf04_rm mbase:1 echo gone
step ps -a --filter name=cf04_rm --format '{{.Names}}'
step run --rm -e FOO=bar -e EMPTY= -e NOEQ mbase:1 sh -c 'echo "FOO=$FOO EMPTY=[$EMPTY] NOEQ=${NOEQ-unset}"; env | sort'
step run --rm -w /var/lib/new/dir mbase:1 pwd
step run --rm --entrypoint echo mbase:1 hello from entrypoint
step run --rm --entrypoint '' mbase:1 echo empty entrypoint
step run --rm --hostname cf04-host mbase:1 sh -c 'hostname; cat /etc/hostname'
step run --rm -u 65534 mbase:1 id
step run --rm -u nobody mbase:1 id
step run --rm -u nobody mbase:1 touch /root/x
step run --rm -u 1234:5678 mbase:1 id
step run --rm --user root mbase:1 id -u
step run --name cf04_opts -e A=1 -w /tmp --entrypoint /bin/sh -u 65534 --hostname h1 mbase:1 -c 'echo "$A $(pwd) $(id -u) $(hostname)"'
step inspect --format '{{.Path}} {{json .Args}} {{json .Config.Cmd}} {{json .Config.Entrypoint}} {{.Config.WorkingDir}} {{.Config.User}} {{.Config.Hostname}}' cf04_opts
step inspect --format '{{json .Config.Env}}' cf04_opts

note "--read-only: writes to the root filesystem fail; volumes and tmpfs stay writable"
step run --rm --read-only mbase:1 sh -c 'echo x > /x'
step run --rm --read-only mbase:1 touch /y
step run --rm --read-only mbase:1 mkdir /d
step run --rm --read-only --tmpfs /tmp -v /data mbase:1 sh -c 'echo ok > /tmp/t && echo ok > /data/d && cat /tmp/t /data/d'
step run --name cf04_ro --read-only mbase:1 true
step inspect --format '{{.HostConfig.ReadonlyRootfs}}' cf04_ro

note "labels and ps filters"
step run -d --name cf04_lab1 -l cf04=one -l tier=web mbase:1 sleep 600
step run --name cf04_lab2 --label cf04=two mbase:1 true
step ps --filter label=cf04
step ps -a --filter label=cf04 --format '{{.Names}}|{{.Labels}}|{{.Label "tier"}}'
step ps -a --filter label=cf04=two --format '{{.Names}}'
step ps -a --filter label=tier=web --filter label=cf04 --format '{{.Names}}'
step inspect --format '{{json .Config.Labels}}' cf04_lab1
step ps -a --filter name=cf04_ --filter status=exited --format '{{.Names}}|{{.Status}}'
step ps -a --filter name=cf04_ --filter status=running --format '{{.Names}}'
step ps -a --filter name=cf04_ --filter status=created --format '{{.Names}}'
step ps -a --filter name=cf04_ --filter exited=137 --format '{{.Names}}'
step ps -n 1 --filter name=cf04_ --format '{{.Names}}'
step ps -n 2 --filter name=cf04_ --format '{{.Names}}'
step ps -l --filter name=cf04_ --format '{{.Names}}|{{.Status}}'
step ps -l -q --filter name=cf04_lab
step ps -a --filter name=cf04_lab --format 'table {{.Names}}\t{{.Status}}\t{{.Labels}}'
step ps -a --filter name=cf04_lab -q --no-trunc

note "exec: into a stopped container, with -e -w -u, exit codes"
step exec cf04_lab2 echo hi
step exec -e X=1 -w /tmp -u 65534 cf04_lab1 sh -c 'echo "$X $(pwd) $(id -u)"'
step exec cf04_lab1 sh -c 'exit 6'
step exec cf04_lab1 no-such-command
step exec cf04_lab1 /etc/passwd

note "container prune (filtered to our labels): removes created and exited containers, not running ones"
# one container per prune: prune lists IDs in random order
step create --name cf04_p1 -l cf04=prune1 mbase:1 true
step run --name cf04_p2 -l cf04=prune2 mbase:1 true
step run -d --name cf04_p3 -l cf04=prune2 mbase:1 sleep 600
step container prune -f --filter label=cf04=prune1
step container prune -f --filter label=cf04=prune2
step ps -a --filter label=cf04 --filter name=cf04_p --format '{{.Names}}|{{.State}}'
step container prune -f --filter label=cf04=prune2

note "rm: several at once, -f of a running one"
step rm -f cf04_p3 cf04_lab1
step rm cf04_a cf04_trap cf04_k cf04_w cf04_fg cf04_l2 cf04_opts cf04_ro cf04_lab2
step ps -a --filter name=cf04_ --format '{{.Names}}'
