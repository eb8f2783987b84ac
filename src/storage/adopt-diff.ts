/**
 * Committing a container layer by moving its files instead of copying them.
 *
 * Committing exports the writable layer as a tar (its DiffID and tar-split
 * come from that) and, in Docker, applies the tar into a new layer: every
 * file is written a second time. overlay2 keeps a layer's changes in the
 * same form whatever layer it sits on, so the writable layer's `diff/` can
 * become the new layer's instead. This module then leaves the moved tree as
 * applying the exported tar would have left it (tar/apply.ts), so that the
 * two ways cannot be told apart:
 * - times are the tar's: whole seconds, atime = mtime (directories too);
 * - a whiteout is a file of mode 0600; an opaque marker has its directory's
 *   permissions and owner and time 0 (how export.ts writes them);
 * - AUFS metadata (`.wh..wh.*` other than the opaque marker) is dropped, as
 *   export skips it;
 * - the layer root keeps the 0755 of a new layer (the tar has no root entry).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OwnerStore } from './owners.js';
import { WHITEOUT_META_PREFIX, WHITEOUT_OPAQUE_DIR, WHITEOUT_PREFIX } from './whiteout.js';

const whole = (ms: number): number => Math.floor(ms / 1000);

/** Normalises a moved layer tree at `dir` (see above); `owners` is the tree's owner store. */
export function normaliseAdoptedTree(dir: string, owners: OwnerStore): void {
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (name === WHITEOUT_OPAQUE_DIR) {
        const dst = fs.lstatSync(d);
        fs.chmodSync(p, dst.mode & 0o777);
        owners.set(p, st, owners.get(d, dst));
        fs.utimesSync(p, 0, 0);
        continue;
      }
      if (name.startsWith(WHITEOUT_META_PREFIX)) {
        owners.forget(st);
        fs.rmSync(p, { recursive: true, force: true });
        continue;
      }
      if (name.startsWith(WHITEOUT_PREFIX)) fs.chmodSync(p, 0o600);
      if (st.isDirectory()) walk(p);
      const t = whole(st.mtimeMs);
      fs.lutimesSync(p, t, t);
    }
  };
  owners.batch(() => walk(dir));
  fs.chmodSync(dir, 0o755);
}
