/** Errors about the root itself: damaged records, a foreign directory, a newer schema. */
import { ClientError } from '../engine/errors.js';

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
