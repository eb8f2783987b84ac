/**
 * Driver directories nothing refers to. Every directory under the driver's
 * home must be some layer record's cache-id or some container layer's
 * mount-id or init-id; anything else is left from a layer whose record was
 * never written or already removed, and repair deletes it (its files were
 * never reachable). overlay2's `l/` links must point at an existing layer.
 * Recent directories are left alone: a pull or build in progress creates
 * the directory before the record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isTempName } from './temp-files.js';
import type { CheckContext } from './types.js';

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export async function checkDriverDirs(ctx: CheckContext, referenced: ReadonlySet<string>): Promise<void> {
  const home = ctx.driver.home;
  const orphan = async (id: string, where: string, remove: () => void) => {
    if (!ctx.isStale(where)) return;
    await ctx.report({
      message: `${ctx.rel(where)}: a driver directory no layer or container refers to`,
      fix: { action: `removed ${ctx.rel(where)}`, apply: remove },
    });
  };
  if (ctx.driver.name === 'overlay2') {
    for (const name of list(home)) {
      if (name === 'l' || isTempName(name) || referenced.has(name)) continue;
      const where = path.join(home, name);
      await orphan(name, where, () => {
        try {
          ctx.driver.remove(name);
        } catch {
          // A name the driver refuses as a layer id: remove the directory itself.
          fs.rmSync(where, { recursive: true, force: true });
        }
      });
    }
    const links = path.join(home, 'l');
    for (const name of list(links)) {
      const link = path.join(links, name);
      if (fs.existsSync(link)) continue;
      await ctx.report({
        message: `${ctx.rel(link)}: a short link to a layer that does not exist`,
        fix: { action: `removed ${ctx.rel(link)}`, apply: () => fs.rmSync(link, { force: true }) },
      });
    }
    return;
  }
  // vfs: trees under dir/, mydock's metadata under meta/.
  for (const name of list(path.join(home, 'dir'))) {
    if (isTempName(name) || referenced.has(name)) continue;
    await orphan(name, path.join(home, 'dir', name), () => ctx.driver.remove(name));
  }
  for (const name of list(path.join(home, 'meta'))) {
    if (isTempName(name) || referenced.has(name) || fs.existsSync(path.join(home, 'dir', name))) continue;
    const where = path.join(home, 'meta', name);
    await orphan(name, where, () => fs.rmSync(where, { recursive: true, force: true }));
  }
}
