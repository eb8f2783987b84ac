/**
 * Is the process that runs a container's main program still there?
 *
 * The record keeps the pid and a start-time token of that process (the shim
 * for a detached container, the CLI for an attached one). A pid alone is not
 * enough: after a reboot or a long time it may belong to someone else. On
 * Linux the token is the start time from /proc/<pid>/stat (field 22, clock
 * ticks since boot); elsewhere the pid's existence is all we can check.
 */
import fs from 'node:fs';

export function processStartToken(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); field 22 is rest[19].
    return rest[19] ?? '';
  } catch {
    return '';
  }
}

/** A zombie (state Z) has finished: it only waits to be reaped by its parent. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function isProcessAlive(pid: number, token: string): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user, so it is not ours either.
    return false;
  }
  if (isZombie(pid)) return false;
  if (token === '') return true;
  const now = processStartToken(pid);
  return now === '' || now === token;
}
