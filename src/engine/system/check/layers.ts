/**
 * The layer store's records (`layerdb/sha256/<chain-id>/`) against the
 * driver's directories: every record is complete, its cache-id names a
 * driver directory, its parent exists and its ChainID follows from the
 * parent's and its DiffID (the OCI rule), the driver's parent link agrees,
 * the tar it exports still hashes to its DiffID, and its recorded size
 * agrees with a walk of its files.
 *
 * A record whose driver directory is gone (or whose parent record is gone)
 * can never be used again: repair removes it, with whatever driver
 * directory it still has. A wrong or missing `size` is rebuilt from the walk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chainIdOf } from '../../../storage/layer-store.js';
import { writeFileAtomic } from '../../../state/atomic.js';
import { isTempName } from './temp-files.js';
import type { CheckContext } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

interface Entry {
  chainId: string;
  dir: string;
  diffId: string | null;
  cacheId: string | null;
  parent: string | null;
}

function readEntries(ctx: CheckContext): Entry[] {
  const base = path.join(ctx.root.layerDbDir, 'sha256');
  let names: string[];
  try {
    names = fs.readdirSync(base).sort();
  } catch {
    return [];
  }
  return names
    .filter((n) => HEX64.test(n))
    .map((n) => {
      const dir = path.join(base, n);
      return {
        chainId: `sha256:${n}`,
        dir,
        diffId: readTrimmed(path.join(dir, 'diff')),
        cacheId: readTrimmed(path.join(dir, 'cache-id')),
        parent: readTrimmed(path.join(dir, 'parent')),
      };
    });
}

function driverHas(ctx: CheckContext, id: string): boolean {
  try {
    return ctx.driver.exists(id);
  } catch {
    return false;
  }
}

/** Removes a record and its driver directory (if any); the record goes first so a crash leaves an orphan directory, which the next check removes. */
function removeEntry(ctx: CheckContext, e: Entry): void {
  fs.rmSync(e.dir, { recursive: true, force: true });
  if (e.cacheId && driverHas(ctx, e.cacheId)) ctx.driver.remove(e.cacheId);
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export async function checkLayerRecords(ctx: CheckContext): Promise<void> {
  const base = path.join(ctx.root.layerDbDir, 'sha256');
  for (const name of (() => {
    try {
      return fs.readdirSync(base).sort();
    } catch {
      return [];
    }
  })()) {
    if (!HEX64.test(name) && !isTempName(name)) await ctx.report({ message: `${ctx.rel(path.join(base, name))}: not a layer record (name is not a ChainID)` });
  }

  const all = readEntries(ctx);
  const gone = new Set<string>();
  // Parents before children, so a removed parent is known when its children are checked.
  const depth = (e: Entry, seen = new Set<string>()): number => {
    if (!e.parent || seen.has(e.chainId)) return 0;
    seen.add(e.chainId);
    const p = all.find((x) => x.chainId === e.parent);
    return p ? 1 + depth(p, seen) : 1;
  };
  const ordered = [...all].sort((a, b) => depth(a) - depth(b) || (a.chainId < b.chainId ? -1 : 1));
  const byId = new Map(all.map((e) => [e.chainId, e]));

  for (const e of ordered) {
    const label = `layer ${e.chainId}`;
    const removeFix = (why: string) => ({
      action: `removed the layer record ${ctx.rel(e.dir)}${e.cacheId && driverHas(ctx, e.cacheId) ? ` and its directory ${ctx.rel(path.join(ctx.driver.home, e.cacheId))}` : ''} (${why})`,
      apply: () => {
        removeEntry(ctx, e);
        gone.add(e.chainId);
      },
    });
    if (e.diffId === null || e.cacheId === null) {
      await ctx.report({ message: `${label}: its record is incomplete (no ${e.diffId === null ? 'diff' : 'cache-id'} file)`, fix: removeFix('incomplete') });
      continue;
    }
    if (!DIGEST.test(e.diffId)) {
      await ctx.report({ message: `${label}: its diff file does not hold a sha256 digest` });
      continue;
    }
    if (!driverHas(ctx, e.cacheId)) {
      await ctx.report({
        message: `${label}: its directory ${ctx.rel(path.join(ctx.driver.home, e.cacheId))} (cache-id) is missing`,
        fix: removeFix('its files are gone'),
      });
      continue;
    }
    if (e.parent !== null) {
      const parent = byId.get(e.parent);
      if (!parent || gone.has(e.parent)) {
        await ctx.report({ message: `${label}: its parent layer ${e.parent} is missing`, fix: removeFix('its parent is gone') });
        continue;
      }
      if (parent.cacheId && ctx.driver.parent(e.cacheId) !== parent.cacheId) {
        await ctx.report({ message: `${label}: the driver stacks it on ${ctx.driver.parent(e.cacheId) ?? 'nothing'}, but its parent layer's directory is ${parent.cacheId}` });
      }
    } else if (ctx.driver.parent(e.cacheId) !== null) {
      await ctx.report({ message: `${label}: a base layer, but the driver stacks it on ${ctx.driver.parent(e.cacheId)}` });
    }
    if (chainIdOf(e.parent, e.diffId) !== e.chainId) {
      await ctx.report({ message: `${label}: its ChainID does not follow from its parent and DiffID ${e.diffId}` });
    }

    const walked = ctx.driver.diffSize(e.cacheId);
    const recorded = readTrimmed(path.join(e.dir, 'size'));
    const sizeOk = recorded !== null && /^\d+$/.test(recorded);
    if (!sizeOk || Number(recorded) !== walked) {
      await ctx.report({
        message: recorded === null ? `${label}: its size file is missing` : `${label}: recorded size ${recorded} differs from its files (${walked} bytes)`,
        fix: { action: `rebuilt ${ctx.rel(path.join(e.dir, 'size'))} (${walked})`, apply: () => writeFileAtomic(path.join(e.dir, 'size'), String(walked)) },
      });
    }

    if (!fs.existsSync(path.join(e.dir, 'tar-split.json.gz'))) {
      await ctx.report({ message: `${label}: its tar-split.json.gz is missing (the layer cannot be exported byte for byte)` });
      continue;
    }
    // The layer store will not open a record without a readable size: verify after the size is rebuilt.
    if (ctx.options.verifyContents && (sizeOk || ctx.options.repair)) {
      let actual: string;
      try {
        actual = await sha256Of(ctx.layers.exportLayer(e.chainId));
      } catch (err) {
        // The export checks each file against the checksum recorded at import: a failure means the files changed.
        await ctx.report({ message: `${label}: its files no longer match its DiffID ${e.diffId} (${(err as Error).message})` });
        continue;
      }
      if (actual !== e.diffId) await ctx.report({ message: `${label}: its files no longer match its DiffID ${e.diffId} (they hash to ${actual})` });
    }
  }
}

/** Every driver id a layer record refers to (cache-ids), for the orphan scan. */
export function layerCacheIds(ctx: CheckContext): Set<string> {
  return new Set(readEntries(ctx).map((e) => e.cacheId).filter((c): c is string => c !== null));
}

/** Whether a layer record is there (diff and cache-id), whatever its size file says. */
export function layerRecordExists(ctx: CheckContext, chainId: string): boolean {
  if (!DIGEST.test(chainId)) return false;
  const dir = path.join(ctx.root.layerDbDir, 'sha256', chainId.slice(7));
  return fs.existsSync(path.join(dir, 'diff')) && fs.existsSync(path.join(dir, 'cache-id'));
}
