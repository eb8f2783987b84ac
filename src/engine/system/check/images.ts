/**
 * Images: every config in `imagedb/content/sha256/` still hashes to its
 * name (the image ID), parses, and names layers the layer store holds;
 * metadata belongs to an existing image and names an existing parent; every
 * reference in repositories.json names an existing image. Images are user
 * data: nothing here is removed, except metadata left behind by an image
 * that is gone (it is derived and useless).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chainIdOf } from '../../../storage/layer-store.js';
import { layerRecordExists } from './layers.js';
import { isTempName } from './temp-files.js';
import type { CheckContext } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/;

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

interface ConfigShape {
  rootfs?: { diff_ids?: unknown };
}

export async function checkImages(ctx: CheckContext): Promise<Set<string>> {
  const ids = new Set<string>();
  const contentDir = ctx.root.imageContentDir;
  for (const name of list(contentDir)) {
    const file = path.join(contentDir, name);
    if (isTempName(name)) continue;
    if (!HEX64.test(name)) {
      await ctx.report({ message: `${ctx.rel(file)}: not an image config (name is not an image ID)` });
      continue;
    }
    const id = `sha256:${name}`;
    ids.add(id);
    const bytes = fs.readFileSync(file);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== name) {
      await ctx.report({ message: `image ${id}: its config does not match its ID (it hashes to sha256:${actual})` });
      continue;
    }
    let config: ConfigShape;
    try {
      config = JSON.parse(bytes.toString('utf8')) as ConfigShape;
    } catch (err) {
      await ctx.report({ message: `image ${id}: its config is not valid JSON (${(err as Error).message})` });
      continue;
    }
    const diffIds = config.rootfs?.diff_ids;
    if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string')) {
      await ctx.report({ message: `image ${id}: its config has no rootfs.diff_ids list` });
      continue;
    }
    let chain: string | null = null;
    for (const diffId of diffIds as string[]) {
      chain = chainIdOf(chain, diffId);
      if (!layerRecordExists(ctx, chain)) {
        await ctx.report({ message: `image ${id}: its layer ${chain} (DiffID ${diffId}) is missing from the layer store` });
        break;
      }
    }
  }

  const metaDir = ctx.root.imageMetadataDir;
  for (const name of list(metaDir)) {
    if (!HEX64.test(name)) continue;
    const dir = path.join(metaDir, name);
    if (!ids.has(`sha256:${name}`)) {
      await ctx.report({
        message: `${ctx.rel(dir)}: metadata of an image that does not exist`,
        fix: { action: `removed ${ctx.rel(dir)}`, apply: () => fs.rmSync(dir, { recursive: true, force: true }) },
      });
      continue;
    }
    let parent: string | null = null;
    try {
      parent = fs.readFileSync(path.join(dir, 'parent'), 'utf8').trim();
    } catch {
      // No parent recorded: a pulled, loaded or imported image.
    }
    if (parent && !ids.has(parent)) await ctx.report({ message: `image sha256:${name}: its parent image ${parent} is missing` });
  }

  await checkRepositories(ctx, ids);
  return ids;
}

async function checkRepositories(ctx: CheckContext, ids: Set<string>): Promise<void> {
  const file = ctx.root.repositoriesFile;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  let data: { Repositories?: Record<string, Record<string, string>> };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (err) {
    await ctx.report({ message: `${ctx.rel(file)}: not valid JSON (${(err as Error).message})` });
    return;
  }
  for (const [repo, refs] of Object.entries(data.Repositories ?? {})) {
    for (const [ref, id] of Object.entries(refs ?? {})) {
      if (!ids.has(id)) await ctx.report({ message: `${ctx.rel(file)}: ${ref} (in ${repo}) names the missing image ${id}` });
    }
  }
}
