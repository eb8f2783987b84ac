/**
 * `docker system df`: what the 20.10 daemon returns for GET /system/df
 * (daemon/disk_usage.go) and the totals docker/cli derives from it
 * (cli/command/formatter/disk_usage.go).
 *
 * - LayersSize: the sizes of the distinct layers that listed images use.
 *   Intermediate images (untagged, with children) do not count, nor do
 *   layers only a container still holds after `rmi -f` (getLayerRefs).
 * - Images: the top-level list (`images` without -a) with each image's
 *   container count and shared size (layers another listed image uses too).
 * - Containers: every container with SizeRw.
 * - Volumes: each local volume's size (a walk of its files) and RefCount,
 *   the number of containers, running or not, whose mounts name it.
 * - Build cache: the classic builder keeps none, so it is always empty.
 *
 * The summary follows the CLI: an image is active when a container uses
 * it, and the reclaimable part of the images is LayersSize minus the
 * unique sizes of the active images; a container is active when running,
 * paused or restarting; a volume when RefCount > 0.
 */
import type { ContainerView } from '../containers/service.js';
import type { Engine } from '../engine.js';
import { listImages, type ImageStore, type ImageSummary } from '../images/index.js';
import type { VolumeRecord } from '../volumes/types.js';

export interface VolumeUsage {
  volume: VolumeRecord;
  /** Bytes of the files under the volume's mount point. */
  size: number;
  /** Containers (any state) that mount it: the LINKS column. */
  refCount: number;
}

/** A container with its writable layer's size, as the API's Containers list with size=true. */
export type ContainerUsage = ContainerView & { sizeRw: number };

export interface DiskUsage {
  layersSize: number;
  /** Newest first, as `images` lists them. */
  images: ImageSummary[];
  /** Newest first. */
  containers: ContainerUsage[];
  /** By name. */
  volumes: VolumeUsage[];
  /** The classic builder keeps no build cache records. */
  buildCache: never[];
  buildCacheSize: number;
}

export type UsageType = 'Images' | 'Containers' | 'Local Volumes' | 'Build Cache';

/** One row of the `system df` summary, in bytes and counts. */
export interface UsageSummary {
  type: UsageType;
  totalCount: number;
  active: number;
  size: number;
  reclaimable: number;
  /** Whether the RECLAIMABLE cell carries a percentage (every type but the build cache). */
  showPercent: boolean;
}

export async function diskUsage(engine: Engine): Promise<DiskUsage> {
  const store = await engine.imageStore();
  const views = await engine.containers.list({ all: true, size: true });
  const containers = views.map((v) => ({ ...v, sizeRw: v.sizeRw ?? 0 }));
  const images = listImages(store, { withExtraAttrs: true });
  const volumeService = await engine.volumes();
  const volumes = volumeService.list().map((volume) => ({
    volume,
    size: volumeService.size(volume.Name),
    refCount: containers.filter((c) => mountsVolume(c, volume.Name)).length,
  }));
  return { layersSize: layersSize(store), images, containers, volumes, buildCache: [], buildCacheSize: 0 };
}

function mountsVolume(c: ContainerView, name: string): boolean {
  return Object.values(c.record.MountPoints ?? {}).some((m) => m.Type === 'volume' && m.Name === name);
}

/** daemon LayerDiskUsage: each layer that a non-intermediate image names, counted once. */
export function layersSize(store: ImageStore): number {
  const all = store.all();
  const parents = new Set(all.map((i) => i.parent).filter((p): p is string => p !== null));
  const counted = new Map<string, number>();
  for (const img of all) {
    if (img.topLayer === null) continue;
    if (store.refs.references(img.id).length === 0 && parents.has(img.id)) continue;
    for (const layer of store.layers.chain(img.topLayer)) counted.set(layer.chainId, layer.size);
  }
  let total = 0;
  for (const size of counted.values()) total += size;
  return total;
}

/** A container counts as active while it runs, is paused or restarts (the CLI reads its State text). */
export function isActiveContainer(c: ContainerView): boolean {
  const s = c.record.State;
  return s.Running || s.Paused || s.Restarting;
}

/** The four summary rows, computed as docker/cli computes them; nothing reclaimable is ever negative. */
export function summarizeDiskUsage(du: DiskUsage): UsageSummary[] {
  let imagesUsed = 0;
  for (const i of du.images) {
    if (i.containers > 0 && i.size !== -1 && i.sharedSize !== -1) imagesUsed += i.size - i.sharedSize;
  }
  const activeContainers = du.containers.filter(isActiveContainer);
  const containersSize = sum(du.containers.map((c) => c.sizeRw));
  const volumesSize = sum(du.volumes.map((v) => v.size));
  return [
    {
      type: 'Images',
      totalCount: du.images.length,
      active: du.images.filter((i) => i.containers > 0).length,
      size: du.layersSize,
      reclaimable: Math.max(0, du.layersSize - imagesUsed),
      showPercent: true,
    },
    {
      type: 'Containers',
      totalCount: du.containers.length,
      active: activeContainers.length,
      size: containersSize,
      reclaimable: Math.max(0, containersSize - sum(activeContainers.map((c) => c.sizeRw))),
      showPercent: true,
    },
    {
      type: 'Local Volumes',
      totalCount: du.volumes.length,
      active: du.volumes.filter((v) => v.refCount > 0).length,
      size: volumesSize,
      reclaimable: sum(du.volumes.filter((v) => v.refCount === 0).map((v) => v.size)),
      showPercent: true,
    },
    {
      type: 'Build Cache',
      totalCount: du.buildCache.length,
      active: 0,
      size: du.buildCacheSize,
      reclaimable: du.buildCacheSize,
      showPercent: false,
    },
  ];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
