/**
 * A full copy of a layer tree (vfs `create`): content, modes, owners, times,
 * symlinks as symlinks, hard links kept as links within the copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { childProcess } from '../state/node-builtins.js';
import type { OwnerStore } from './owners.js';

export function copyTree(src: string, dst: string, from: OwnerStore, to: OwnerStore): { bytes: number; files: number } {
  const links = new Map<number, string>();
  const dirs: { p: string; st: fs.Stats }[] = [];
  let bytes = 0;
  let files = 0;
  const setMeta = (p: string, s: string, st: fs.Stats): void => {
    const nst = fs.lstatSync(p);
    to.created(p, nst);
    to.set(p, nst, from.get(s, st));
    if (!st.isSymbolicLink()) fs.chmodSync(p, st.mode & 0o7777);
    if (!st.isDirectory()) fs.lutimesSync(p, st.atimeMs / 1000, st.mtimeMs / 1000);
  };
  const walk = (s: string, d: string): void => {
    const st = fs.lstatSync(s);
    if (st.isDirectory()) {
      fs.mkdirSync(d, { mode: 0o700 });
      for (const name of fs.readdirSync(s)) walk(path.join(s, name), path.join(d, name));
      setMeta(d, s, st);
      dirs.push({ p: d, st });
      return;
    }
    files++;
    if (st.nlink > 1) {
      const first = links.get(st.ino);
      if (first) {
        fs.linkSync(first, d);
        return;
      }
      links.set(st.ino, d);
    }
    if (st.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(s), d);
      bytes += st.size;
    } else if (st.isFile()) {
      fs.copyFileSync(s, d, fs.constants.COPYFILE_EXCL); // into a fresh tree; see UnionView.copyUp for why EXCL
      bytes += st.size;
    } else {
      const kind = st.isFIFO() ? ['p'] : [st.isCharacterDevice() ? 'c' : 'b', String((st.rdev >> 8) & 0xfff), String((st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00))];
      try {
        childProcess().execFileSync('mknod', [d, ...kind], { stdio: 'ignore' });
      } catch {
        return; // device nodes need root; rootless Docker skips them too
      }
    }
    setMeta(d, s, st);
  };
  to.batch(() => walk(src, dst));
  // Times of directories last: filling them moved their mtimes.
  for (const { p, st } of dirs.reverse()) fs.utimesSync(p, st.atimeMs / 1000, st.mtimeMs / 1000);
  return { bytes, files };
}
