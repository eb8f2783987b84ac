/** Small helpers shared by the drivers: ids, directory walks, sizes. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StorageError } from './errors.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Docker's overlay2 short link name: 26 characters of base32 (generateID(26)). */
export function shortLinkId(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** A layer id must be a plain name: it becomes a directory name. */
export function checkLayerId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id) || id.length > 200) {
    throw new StorageError('LAYER_NOT_FOUND', `invalid layer id ${JSON.stringify(id)}`, { id });
  }
}

/**
 * Docker's directory.Size: every non-directory's size, hard links counted
 * once, empty files (whiteouts) adding nothing. Symlinks count their target's
 * length, as lstat reports it: `docker history` shows that for busybox's
 * applet links.
 */
export function directorySize(dir: string): number {
  const seen = new Set<number>();
  let total = 0;
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) {
        walk(p);
        continue;
      }
      const st = fs.lstatSync(p);
      if (st.size === 0) continue;
      if (seen.has(st.ino)) continue;
      seen.add(st.ino);
      total += st.size;
    }
  };
  walk(dir);
  return total;
}

/** Bytes really allocated on the host for everything under `dir` (st_blocks), each inode once. */
export function allocatedBytes(dir: string): number {
  const seen = new Set<number>();
  let total = 0;
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    if (!seen.has(st.ino)) {
      seen.add(st.ino);
      total += st.blocks * 512;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(dir);
  return total;
}

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
