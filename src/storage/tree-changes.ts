/**
 * `docker diff`, the way Docker computes it. Docker 20.10's overlay2 (and
 * vfs) compare the layer's whole view with its parent's view (moby's
 * archive.ChangesDirs, "naive diff"), not the upper directory; so this does
 * too, and the letters match what real Docker prints:
 * - an entry missing below is A, and so is everything under an added dir;
 * - an entry present in both is C when its type, mode, owner or device differ,
 *   or, for non-directories, its size or mtime (directory sizes and times are
 *   ignored: moby/moby#9874). A file copied up by a chmod to the same mode is
 *   therefore no change at all, though it costs space;
 * - an entry gone is D, and only the top of a deleted subtree is listed;
 * - a directory not itself changed or added but holding changes is C.
 * Docker prints the list in map order; mydock sorts it by path.
 *
 * `touched(path)` lets a driver skip subtrees that cannot differ (overlay2:
 * whatever its upper directory does not hold); vfs has to look everywhere.
 */
import type { FsBackend, FsStat } from './backend.js';
import type { Change } from './driver.js';
import { childPath, compareBytes } from './paths.js';
import { sameTime } from './host-stat.js';

export function statDifferent(a: FsStat, b: FsStat): boolean {
  if (a.type !== b.type || a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid) return true;
  if ((a.rdev?.major ?? 0) !== (b.rdev?.major ?? 0) || (a.rdev?.minor ?? 0) !== (b.rdev?.minor ?? 0)) return true;
  if (a.type !== 'dir' && (!sameTime(a.mtimeMs, b.mtimeMs) || a.size !== b.size)) return true;
  return false;
}

export function treeChanges(next: FsBackend, prev: FsBackend | null, touched: (path: string) => boolean = () => true): Change[] {
  const changes: Change[] = [];

  const visit = (path: string, st: FsStat, old: FsStat | null, added: boolean): void => {
    const start = changes.length;
    if (!old) {
      changes.push({ kind: 'A', path });
      added = true;
    }
    if (st.type === 'dir') {
      const oldNames = new Set(old && old.type === 'dir' && prev ? prev.readdir(path) : []);
      for (const name of next.readdir(path)) {
        const p = childPath(path, name);
        const hadOld = oldNames.delete(name);
        if (!touched(p)) continue;
        const cst = next.lstat(p);
        if (!cst) continue;
        const cold = hadOld && prev ? prev.lstat(p) : null;
        let childAdded = false;
        if (cold && statDifferent(cold, cst)) {
          changes.push({ kind: 'C', path: p });
          childAdded = true;
        }
        visit(p, cst, cold, childAdded);
      }
      for (const name of oldNames) changes.push({ kind: 'D', path: childPath(path, name) });
      if (changes.length > start && !added && path !== '/') changes.splice(start, 0, { kind: 'C', path });
    }
  };

  const root = next.lstat('/');
  if (root) visit('/', root, prev?.lstat('/') ?? null, true);
  return changes.filter((c) => c.path !== '/').sort((a, b) => compareBytes(a.path, b.path));
}
