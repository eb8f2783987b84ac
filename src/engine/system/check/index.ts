/**
 * `mydock system check [--repair]`: verifies a root the way `git fsck`
 * verifies a repository (see types.ts for the vocabulary and the rules of
 * repair). It opens the root itself rather than through the engine, so that
 * a root whose records are damaged can still be checked: the storage driver
 * is read from mydock-root.json, or inferred from the directories when that
 * file is damaged (and then rewritten by repair, since it is derived).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../../state/atomic.js';
import { withRootLock } from '../../../state/lock.js';
import { ROOT_FILE, RootLayout, SCHEMA_VERSION, type RootInfo } from '../../../state/root.js';
import { DRIVER_NAMES, type DriverName } from '../../../storage/driver.js';
import { createDriver } from '../../../storage/index.js';
import { openLayerStore } from '../../../storage/layer-db.js';
import { ClientError } from '../../errors.js';
import { checkContainers, mountDriverIds } from './containers.js';
import { checkDriverDirs } from './driver-dirs.js';
import { checkImages } from './images.js';
import { checkLayerRecords, layerCacheIds } from './layers.js';
import { checkTempFiles } from './temp-files.js';
import type { CheckContext, CheckOptions, CheckReport, Finding, Problem } from './types.js';
import { checkVolumes } from './volumes.js';

export type { CheckOptions, CheckReport, Finding } from './types.js';

const DEFAULT_MIN_AGE_MS = 10 * 60 * 1000;

export const noRoot = (root: string) => new ClientError(`${root} is not a mydock root (no ${ROOT_FILE})`, 'NO_ROOT', { root });

/** The root's driver: from its file, else from which image/<driver> directory exists. */
function readDriver(rootPath: string): { driver: DriverName; problem: string | null } | null {
  const file = path.join(rootPath, ROOT_FILE);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = null;
  }
  if (text !== null) {
    try {
      const info = JSON.parse(text) as Partial<RootInfo>;
      if (DRIVER_NAMES.includes(info.storageDriver as DriverName)) return { driver: info.storageDriver as DriverName, problem: null };
    } catch {
      // Damaged: inferred below.
    }
  }
  const inferred = DRIVER_NAMES.find((d) => fs.existsSync(path.join(rootPath, 'image', d)));
  if (!inferred) return null;
  return { driver: inferred, problem: text === null ? `${ROOT_FILE} is missing` : `${ROOT_FILE} is damaged` };
}

export async function checkRoot(rootPath: string, options: CheckOptions = {}): Promise<CheckReport> {
  const found = readDriver(rootPath);
  if (!found) throw noRoot(rootPath);
  const opts: Required<CheckOptions> = {
    repair: options.repair ?? false,
    minAgeMs: options.minAgeMs ?? DEFAULT_MIN_AGE_MS,
    now: options.now ?? Date.now,
    verifyContents: options.verifyContents ?? true,
  };
  return withRootLock(rootPath, async () => {
    const root = new RootLayout(path.resolve(rootPath), found.driver);
    const driver = createDriver(found.driver, root.path);
    const layers = openLayerStore(root.path, driver);
    const findings: Finding[] = [];
    let remaining = 0;
    const ctx: CheckContext = {
      root,
      driver,
      layers,
      options: opts,
      rel: (p) => path.relative(root.path, p) || '.',
      isStale: (p) => {
        try {
          return opts.now() - fs.lstatSync(p).mtimeMs >= opts.minAgeMs;
        } catch {
          return false;
        }
      },
      async report(problem: Problem) {
        if (opts.repair && problem.fix) {
          await problem.fix.apply();
          findings.push({ message: problem.message, repaired: problem.fix.action });
        } else {
          findings.push({ message: problem.message, repaired: null });
          remaining++;
        }
      },
    };
    if (found.problem) {
      await ctx.report({
        message: `${found.problem} (the ${found.driver} driver's directories are there)`,
        fix: {
          action: `rewrote ${ROOT_FILE} for the ${found.driver} driver`,
          apply: () => writeJsonAtomic(path.join(root.path, ROOT_FILE), { schemaVersion: SCHEMA_VERSION, storageDriver: found.driver, createdAt: new Date(opts.now()).toISOString() }),
        },
      });
    }
    // The container list snapshot is derived from the records: nothing to
    // verify. A repair drops it, since repairs rewrite records without
    // marking the containers directory as mydock's writes do, so the next
    // listing reads every record afresh.
    if (opts.repair) fs.rmSync(root.containerListFile, { force: true });
    await checkTempFiles(ctx);
    await checkLayerRecords(ctx);
    await checkImages(ctx);
    await checkContainers(ctx);
    await checkDriverDirs(ctx, new Set([...layerCacheIds(ctx), ...mountDriverIds(ctx)]));
    await checkVolumes(ctx);
    return { findings, remaining };
  });
}
