/**
 * `docker system prune [-a] [--volumes] [--filter …]`, as docker/cli runs
 * it against a 20.10 daemon: container prune, network prune (mydock has no
 * networks), volume prune when asked, image prune (dangling images, or with
 * `all` every image no container uses), build cache prune (the classic
 * builder keeps none). Each step uses its own engine's prune over the same
 * filters; the space reclaimed is their sum.
 *
 * Volumes: API 1.41 has no "anonymous only" rule; its volume prune removes
 * every local volume no container uses, which is what this asks for.
 */
import { ClientError } from '../errors.js';
import type { Engine } from '../engine.js';
import { containerPruneFilter } from '../containers/prune-filter.js';
import { pruneImages, pruneOptionsFromArgs, type DeleteRecord } from '../images/index.js';

import { parseFilterFlags, type FilterArgs } from '../filters.js';

export { parseFilterFlags, type FilterArgs };

export interface SystemPruneOptions {
  all?: boolean;
  volumes?: boolean;
  filters?: FilterArgs;
  now?: Date;
}

export interface SystemPruneResult {
  /** Full IDs, in the order they were removed. */
  containers: string[];
  volumes: string[];
  /** Docker's `untagged:` / `deleted:` records. */
  images: DeleteRecord[];
  buildCache: string[];
  spaceReclaimed: number;
}


/** Refused by the CLI itself, before anything is asked of the daemon. */
export const untilWithVolumes = () => new ClientError('ERROR: The "until" filter is not supported with "--volumes"', 'INVALID_FILTER');

export async function systemPrune(engine: Engine, options: SystemPruneOptions = {}): Promise<SystemPruneResult> {
  const filters = options.filters ?? {};
  const now = options.now ?? new Date();
  if (options.volumes && filters.until) throw untilWithVolumes();
  let spaceReclaimed = 0;

  const keep = containerPruneFilter(filters, now);
  const containers = await engine.containers.prune(keep);
  spaceReclaimed += containers.reclaimed;

  let volumes: string[] = [];
  if (options.volumes) {
    const flat = Object.entries(filters).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
    const pruned = await (await engine.volumes()).prune({ all: true, filters: flat });
    volumes = pruned.deleted;
    spaceReclaimed += pruned.reclaimed;
  }

  const imageOptions = pruneOptionsFromArgs({ ...filters, dangling: [String(!options.all)] }, now);
  const images = await pruneImages(await engine.imageStore(), imageOptions);
  spaceReclaimed += images.spaceReclaimed;

  return { containers: containers.deleted, volumes, images: images.deleted, buildCache: [], spaceReclaimed };
}
