/**
 * Volumes: each `volumes/<name>/` has a record (volume.json) that parses
 * and names it, and its `_data` directory. Volume contents are user data:
 * problems here are reported, never repaired by deleting anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { VolumeRecord } from '../../volumes/types.js';
import { isTempName } from './temp-files.js';
import type { CheckContext } from './types.js';

export async function checkVolumes(ctx: CheckContext): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(ctx.root.volumesDir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (isTempName(name)) continue;
    const dir = path.join(ctx.root.volumesDir, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const recordFile = path.join(dir, 'volume.json');
    let text: string;
    try {
      text = fs.readFileSync(recordFile, 'utf8');
    } catch {
      await ctx.report({ message: `${ctx.rel(dir)}: files without a volume record (kept: they may be someone's data)` });
      continue;
    }
    let record: VolumeRecord;
    try {
      record = JSON.parse(text) as VolumeRecord;
    } catch (err) {
      await ctx.report({ message: `volume ${name}: volume.json is not valid JSON (${(err as Error).message})` });
      continue;
    }
    if (record.Name !== name) await ctx.report({ message: `volume ${name}: its record names another volume (${String(record.Name)})` });
    if (!fs.existsSync(path.join(dir, '_data'))) await ctx.report({ message: `volume ${name}: its data directory ${ctx.rel(path.join(dir, '_data'))} is missing` });
  }
}
