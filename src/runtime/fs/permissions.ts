/**
 * The kernel's permission check (generic_permission) for the process user.
 * There are no capabilities beyond "uid 0 is root": root may read and write
 * anything, may search any directory, and may execute a file only when some
 * execute bit is set.
 */
import type { FsStat } from '../../storage/backend.js';

export interface FsUser {
  uid: number;
  gid: number;
  /** Supplementary groups. */
  groups?: readonly number[];
}

export const ROOT_USER: FsUser = { uid: 0, gid: 0 };

export type AccessMode = 'r' | 'w' | 'x';

const BIT: Record<AccessMode, number> = { r: 4, w: 2, x: 1 };

export function permits(st: FsStat, user: FsUser, want: AccessMode): boolean {
  if (user.uid === 0) {
    if (want !== 'x' || st.type === 'dir') return true;
    return (st.mode & 0o111) !== 0;
  }
  let shift: number;
  if (st.uid === user.uid) shift = 6;
  else if (st.gid === user.gid || (user.groups ?? []).includes(st.gid)) shift = 3;
  else shift = 0;
  return ((st.mode >> shift) & BIT[want]) !== 0;
}

/** The sticky-bit rule (/tmp): only the owner of the entry or of the directory, or root, may remove or rename it. */
export function mayRemoveFromSticky(dir: FsStat, entry: FsStat, user: FsUser): boolean {
  if ((dir.mode & 0o1000) === 0 || user.uid === 0) return true;
  return entry.uid === user.uid || dir.uid === user.uid;
}
