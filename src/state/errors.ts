/** Errors about the root itself: damaged records, a foreign directory, a newer schema. */
import { ClientError, DaemonError } from '../engine/errors.js';

export const damagedFile = (file: string, reason: string) =>
  new ClientError(
    `the state file ${file} is damaged (${reason}): move it away or restore it from a backup, then run 'mydock system check'`,
    'DAMAGED_STATE',
    { file, reason },
  );

export const foreignRoot = (root: string) =>
  new ClientError(
    `${root} is not empty and is not a mydock root (no mydock-root.json): choose another --root or MYDOCK_ROOT`,
    'FOREIGN_ROOT',
    { root },
  );

export const newerSchema = (root: string, found: number, supported: number) =>
  new ClientError(
    `the root ${root} has schema version ${found}, newer than this mydock supports (${supported}): upgrade mydock`,
    'NEWER_SCHEMA',
    { root, found, supported },
  );

export const driverMismatch = (root: string, stored: string, asked: string) =>
  new ClientError(
    `the root ${root} was created with the ${stored} storage driver; it cannot be opened with --storage-driver ${asked}`,
    'DRIVER_MISMATCH',
    { root, stored, asked },
  );

export const unknownDriver = (name: string) =>
  new ClientError(`error initializing graphdriver: driver not supported: ${name}`, 'UNKNOWN_DRIVER', { name });

export const rootUnwritable = (root: string, reason: string) =>
  new ClientError(`cannot use the root ${root}: ${reason}`, 'ROOT_UNWRITABLE', { root, reason });

/** What the host said, as Go's syscall.Errno text, and what the user can do about it. */
const WRITE_FAILURES: Record<string, { text: string; hint: string }> = {
  ENOSPC: { text: 'no space left on device', hint: 'free space on the filesystem that holds the root' },
  EDQUOT: { text: 'disk quota exceeded', hint: 'free space or raise the quota of the filesystem that holds the root' },
  EROFS: { text: 'read-only file system', hint: 'mount the root read-write or choose another --root' },
  EACCES: { text: 'permission denied', hint: 'run as the owner of the root or fix its permissions' },
  EPERM: { text: 'operation not permitted', hint: 'run as the owner of the root or fix its permissions' },
};

/**
 * A record could not be written for a reason the user must fix on the host.
 * Worded as the daemon's error ("write <file>: no space left on device"),
 * followed by what to do. Null for any other failure (left to the caller).
 */
export function rootWriteFailed(file: string, err: unknown, verb: 'write' | 'open' = 'write'): DaemonError | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const failure = code === undefined ? undefined : WRITE_FAILURES[code];
  if (!failure) return null;
  return new DaemonError(`${verb} ${file}: ${failure.text}: ${failure.hint}, then run 'mydock system check'`, 'ROOT_WRITE_FAILED', { file, errno: code });
}
