/**
 * Containers and their writable layers. Each `containers/<id>/` holds
 * config.v2.json and hostconfig.json that parse and name the container;
 * its layer record `layerdb/mounts/<id>/` exists and names a writable
 * layer and an init layer the driver has; the log, when written, is JSON
 * lines (mydock appends it on first output, as Docker's log copier writes
 * it on start, so a container that never printed has none); a stopped
 * container's cached SizeRw agrees with a walk of its layer.
 *
 * Repairs: a container whose layers are gone is removed (its records and
 * what is left of its layer; volumes it used are kept, as `rm` without -v
 * keeps them); a layer record of a container that no longer exists is
 * removed with its directories; a wrong cached SizeRw is recomputed; a
 * container directory without config.v2.json that holds only the files
 * mydock derives (hostname, hosts, resolv.conf, an empty log) is what an
 * interrupted create left and is removed with its layer (a directory holding
 * anything else is reported and kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../../state/atomic.js';
import type { ContainerRecord } from '../../containers/types.js';
import { isProcessAlive } from '../../containers/liveness.js';
import { layerRecordExists } from './layers.js';
import { isTempName } from './temp-files.js';
import type { CheckContext } from './types.js';

const ID = /^[0-9a-f]{64}$/;

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readJson<T>(file: string): { value: T } | { error: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    return { value: JSON.parse(text) as T };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function driverHas(ctx: CheckContext, id: string): boolean {
  try {
    return ctx.driver.exists(id);
  } catch {
    return false;
  }
}

/** Removes a container's layer record and whatever driver directories it still has. */
function removeMount(ctx: CheckContext, containerId: string): void {
  const dir = path.join(ctx.root.layerDbDir, 'mounts', containerId);
  const ids = ['mount-id', 'init-id'].map((f) => {
    try {
      return fs.readFileSync(path.join(dir, f), 'utf8').trim();
    } catch {
      return null;
    }
  });
  fs.rmSync(dir, { recursive: true, force: true });
  // The writable layer sits on the init layer: remove it first.
  for (const id of ids) if (id && driverHas(ctx, id)) ctx.driver.remove(id);
}

export async function checkContainers(ctx: CheckContext): Promise<void> {
  const containersDir = ctx.root.containersDir;
  const live = new Set<string>();
  for (const id of list(containersDir)) {
    const dir = path.join(containersDir, id);
    if (isTempName(id)) continue;
    if (!ID.test(id)) {
      await ctx.report({ message: `${ctx.rel(dir)}: not a container directory (name is not a container ID)` });
      continue;
    }
    live.add(id);
    const config = readJson<ContainerRecord>(path.join(dir, 'config.v2.json'));
    const host = readJson<unknown>(path.join(dir, 'hostconfig.json'));
    const label = config && 'value' in config ? `container ${id.slice(0, 12)} (${config.value.Name?.replace(/^\//, '') ?? '?'})` : `container ${id.slice(0, 12)}`;
    const removeContainer = (why: string) => ({
      action: `removed ${label}: its records ${ctx.rel(dir)} and what was left of its layer (${why}); its volumes were kept`,
      apply: () => {
        removeMount(ctx, id);
        fs.rmSync(dir, { recursive: true, force: true });
        live.delete(id);
      },
    });
    if (config === null) {
      // What an interrupted create left: only the files mydock derives, no record. Anything else is kept.
      const leftover = onlyDerivedFiles(dir, id);
      await ctx.report({
        message: `${label}: config.v2.json is missing`,
        fix: leftover
          ? {
              action: `removed ${ctx.rel(dir)}: an interrupted create (no record, only derived files) and what was left of its layer`,
              apply: () => {
                removeMount(ctx, id);
                fs.rmSync(dir, { recursive: true, force: true });
                live.delete(id);
              },
            }
          : undefined,
      });
      continue;
    }
    if ('error' in config) {
      await ctx.report({ message: `${label}: config.v2.json is not valid JSON (${config.error})` });
      continue;
    }
    if (host === null) await ctx.report({ message: `${label}: hostconfig.json is missing` });
    else if ('error' in host) await ctx.report({ message: `${label}: hostconfig.json is not valid JSON (${host.error})` });
    const record = config.value;
    if (record.ID !== id) await ctx.report({ message: `${label}: its record names another ID (${String(record.ID)})` });

    const rw = ctx.layers.getRwLayer(id);
    if (!rw) {
      await ctx.report({ message: `${label}: its layer record ${ctx.rel(path.join(ctx.root.layerDbDir, 'mounts', id))} is missing`, fix: removeContainer('its layer is gone') });
      continue;
    }
    const mountOk = driverHas(ctx, rw.mountId);
    const initOk = driverHas(ctx, rw.initId);
    if (!mountOk || !initOk) {
      const missing = [!mountOk ? `writable layer ${rw.mountId}` : null, !initOk ? `init layer ${rw.initId}` : null].filter(Boolean).join(' and ');
      await ctx.report({ message: `${label}: its ${missing} ${!mountOk && !initOk ? 'are' : 'is'} missing from ${ctx.rel(ctx.driver.home)}`, fix: removeContainer('its layers are gone') });
      continue;
    }
    if (rw.parent !== null && !layerRecordExists(ctx, rw.parent)) {
      await ctx.report({ message: `${label}: the image layer it sits on (${rw.parent}) is missing`, fix: removeContainer('the layers below it are gone') });
      continue;
    }

    const logFile = path.join(dir, `${id}-json.log`);
    if (fs.existsSync(logFile)) {
      const lines = fs.readFileSync(logFile, 'utf8').split('\n');
      const bad = lines.findIndex((l) => l !== '' && !isJsonLine(l));
      if (bad !== -1) await ctx.report({ message: `${label}: line ${bad + 1} of its log ${ctx.rel(logFile)} is not a JSON log entry` });
    }

    const running = record.State?.Running && isProcessAlive(record.Mydock?.ProcessPid ?? 0, record.Mydock?.ProcessStart ?? '');
    const cached = record.Mydock?.SizeRw;
    if (!running && typeof cached === 'number') {
      const walked = ctx.layers.rwSize(id);
      if (walked !== cached) {
        await ctx.report({
          message: `${label}: recorded size ${cached} differs from its writable layer (${walked} bytes)`,
          fix: {
            action: `recomputed ${label}'s size (${walked})`,
            apply: () => {
              record.Mydock.SizeRw = walked;
              writeJsonAtomic(path.join(dir, 'config.v2.json'), record);
            },
          },
        });
      }
    }
  }

  // Layer records of containers that do not exist.
  const mountsDir = path.join(ctx.root.layerDbDir, 'mounts');
  for (const id of list(mountsDir)) {
    if (isTempName(id) || live.has(id)) continue;
    const dir = path.join(mountsDir, id);
    await ctx.report({
      message: `${ctx.rel(dir)}: the layer of a container that does not exist`,
      fix: { action: `removed ${ctx.rel(dir)} and its directories`, apply: () => removeMount(ctx, id) },
    });
  }
}

/** Files mydock derives when it creates a container (and the temporary files of their atomic writes). */
const DERIVED = ['hostname', 'hosts', 'resolv.conf'];

/**
 * True when a container directory holds nothing but derived files: hostname,
 * hosts, resolv.conf (or an interrupted write of one) and an empty log.
 */
export function onlyDerivedFiles(dir: string, id: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.every((e) => {
    if (!e.isFile()) return false;
    if (DERIVED.includes(e.name)) return true;
    if (isTempName(e.name) && DERIVED.some((d) => e.name.startsWith(`.${d}.tmp-`))) return true;
    if (e.name === `${id}-json.log`) {
      try {
        return fs.statSync(path.join(dir, e.name)).size === 0;
      } catch {
        return false;
      }
    }
    return false;
  });
}

function isJsonLine(l: string): boolean {
  try {
    const v = JSON.parse(l) as { log?: unknown; stream?: unknown };
    return typeof v.log === 'string' && typeof v.stream === 'string';
  } catch {
    return false;
  }
}

/** Driver ids the container layer records refer to, for the orphan scan. */
export function mountDriverIds(ctx: CheckContext): Set<string> {
  const out = new Set<string>();
  const mountsDir = path.join(ctx.root.layerDbDir, 'mounts');
  for (const id of list(mountsDir)) {
    for (const f of ['mount-id', 'init-id']) {
      try {
        out.add(fs.readFileSync(path.join(mountsDir, id, f), 'utf8').trim());
      } catch {
        // An incomplete record refers to nothing.
      }
    }
  }
  return out;
}
