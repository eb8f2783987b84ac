/**
 * Temp files left by interrupted writes. mydock writes every record to a
 * temporary sibling and renames it into place (state/atomic.ts names it
 * `.<name>.tmp-<pid>-<hex>`; storage/atomic.ts names directories being
 * built `.tmp-<name>-<hex>`, as it named files in earlier roots), builds
 * layer records under `layerdb/tmp/` and deletes directories by renaming
 * them to a temp name first; a crash leaves those behind, never a half
 * record. The scan looks where mydock writes records, never inside layer
 * contents (`diff/`, vfs trees) or volume data (`_data`), where such names
 * are the user's files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CheckContext } from './types.js';

const STATE_TEMP = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;
const STORAGE_TEMP = /^\.tmp-.+-[0-9a-f]{12}$/;

export function isTempName(name: string): boolean {
  return STATE_TEMP.test(name) || STORAGE_TEMP.test(name);
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The directories whose entries are records (or directories of records) mydock writes atomically. */
function recordDirs(ctx: CheckContext): string[] {
  const { root } = ctx;
  const dirs = [root.path, root.imageDir, path.join(root.imageDir, 'imagedb'), root.imageContentDir, root.imageMetadataDir, root.layerDbDir, path.dirname(root.containerListFile)];
  for (const sub of ['sha256', 'mounts']) {
    const d = path.join(root.layerDbDir, sub);
    dirs.push(d, ...entries(d).filter((e) => e.isDirectory()).map((e) => path.join(d, e.name)));
  }
  dirs.push(...entries(root.imageMetadataDir).filter((e) => e.isDirectory()).map((e) => path.join(root.imageMetadataDir, e.name)));
  for (const top of [root.containersDir, root.volumesDir]) {
    dirs.push(top, ...entries(top).filter((e) => e.isDirectory()).map((e) => path.join(top, e.name)));
  }
  // Driver homes: the layer directories themselves, and their metadata files (not their trees).
  const home = root.driverHome;
  dirs.push(home);
  if (root.driver === 'overlay2') {
    dirs.push(...entries(home).filter((e) => e.isDirectory() && e.name !== 'l' && !isTempName(e.name)).map((e) => path.join(home, e.name)));
  } else {
    dirs.push(path.join(home, 'dir'), path.join(home, 'meta'));
    const meta = path.join(home, 'meta');
    dirs.push(...entries(meta).filter((e) => e.isDirectory()).map((e) => path.join(meta, e.name)));
  }
  return dirs;
}

export async function checkTempFiles(ctx: CheckContext): Promise<void> {
  const found: string[] = [];
  for (const dir of recordDirs(ctx)) {
    for (const e of entries(dir)) if (isTempName(e.name)) found.push(path.join(dir, e.name));
  }
  // Whole directories of work in progress: layer records being written, archives being unpacked.
  for (const dir of [path.join(ctx.root.layerDbDir, 'tmp'), ctx.root.tmpDir]) {
    for (const e of entries(dir)) {
      // tmp/shm holds tmpfs volumes when the host has no /dev/shm: live data, not a leftover.
      if (dir === ctx.root.tmpDir && e.name === 'shm') continue;
      found.push(path.join(dir, e.name));
    }
  }
  for (const p of found.sort()) {
    if (!ctx.isStale(p)) continue;
    await ctx.report({
      message: `${ctx.rel(p)}: left over from an interrupted write`,
      fix: { action: `removed ${ctx.rel(p)}`, apply: () => fs.rmSync(p, { recursive: true, force: true }) },
    });
  }
}
