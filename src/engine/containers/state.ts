/**
 * State transitions of a container record, as the daemon makes them. Pure
 * functions on the record: callers hold the lock and write it back.
 */
import { randomBytes } from 'node:crypto';
import { goTime } from './log-file.js';
import type { ContainerRecord, ListedRecord } from './types.js';

export interface ProcessRef {
  pid: number;
  token: string;
}

export function markStarted(record: ContainerRecord, proc: ProcessRef, nowMs = Date.now()): void {
  const s = record.State;
  s.Running = true;
  s.Paused = false;
  s.Restarting = false;
  s.Dead = false;
  s.OOMKilled = false;
  // Docker shows the host pid of the container's init; ours is the process that emulates it.
  s.Pid = proc.pid;
  s.ExitCode = 0;
  s.Error = '';
  s.StartedAt = goTime(nowMs);
  record.HasBeenStartedBefore = true;
  record.HasBeenManuallyStopped = false;
  record.Mydock.ProcessPid = proc.pid;
  record.Mydock.ProcessStart = proc.token;
  // A running container has a network sandbox (its namespace), even without a network.
  const sandbox = randomBytes(32).toString('hex');
  record.NetworkSettings.SandboxID = sandbox;
  record.NetworkSettings.SandboxKey = `/var/run/docker/netns/${sandbox.slice(0, 12)}`;
}

/** Only the run that `proc` started may record its end: a later start owns the record. */
export function isRunBy(record: ContainerRecord, proc: ProcessRef): boolean {
  return record.State.Running && record.Mydock.ProcessPid === proc.pid && record.Mydock.ProcessStart === proc.token;
}

export function markExited(record: ContainerRecord, exitCode: number, nowMs = Date.now()): void {
  const s = record.State;
  s.Running = false;
  s.Paused = false;
  s.Restarting = false;
  s.Pid = 0;
  s.ExitCode = exitCode;
  s.FinishedAt = goTime(nowMs);
  record.Mydock.ProcessPid = 0;
  record.Mydock.ProcessStart = '';
  record.Mydock.Execs = {};
  record.NetworkSettings.SandboxID = '';
  record.NetworkSettings.SandboxKey = '';
}

/** The program could not start: the container stays Created, with the error and its status, as Docker records it. */
export function markStartFailed(record: ContainerRecord, message: string, exitCode: number): void {
  record.State.Error = message;
  record.State.ExitCode = exitCode;
}

/** `docker ps`/`inspect` State.Status. */
export function statusWord(record: Pick<ListedRecord, 'State'>): 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' {
  const s = record.State;
  if (s.Running) {
    if (s.Paused) return 'paused';
    if (s.Restarting) return 'restarting';
    return 'running';
  }
  if (s.RemovalInProgress) return 'removing';
  if (s.Dead) return 'dead';
  if (s.StartedAt === '0001-01-01T00:00:00Z') return 'created';
  return 'exited';
}
