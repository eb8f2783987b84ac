import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../src/engine/images/types.js';
import { summarizeDiskUsage, type ContainerUsage, type DiskUsage, type VolumeUsage } from '../../../src/engine/system/disk-usage.js';

const image = (size: number, sharedSize: number, containers: number): ImageSummary => ({
  id: 'sha256:' + 'a'.repeat(64),
  parentId: '',
  repoTags: ['x:1'],
  repoDigests: [],
  created: 0,
  createdAt: '',
  size,
  virtualSize: size,
  sharedSize,
  labels: null,
  containers,
});

const container = (sizeRw: number, state: { Running?: boolean; Paused?: boolean }): ContainerUsage =>
  ({ record: { State: { Running: false, Paused: false, Restarting: false, ...state } }, sizeRw }) as unknown as ContainerUsage;

const volume = (size: number, refCount: number): VolumeUsage => ({ volume: { Name: 'v' } as VolumeUsage['volume'], size, refCount });

function usage(partial: Partial<DiskUsage>): DiskUsage {
  return { layersSize: 0, images: [], containers: [], volumes: [], buildCache: [], buildCacheSize: 0, ...partial };
}

describe('system df totals (docker/cli rules)', () => {
  it('images: reclaimable is LayersSize minus the unique sizes of images in use', () => {
    // A base (2.08MB) and a child (+20kB) sharing it; only the child is used.
    const rows = summarizeDiskUsage(usage({ layersSize: 2_102_673, images: [image(2_082_673, 2_082_673, 0), image(2_102_673, 2_082_673, 1)] }));
    expect(rows[0]).toEqual({ type: 'Images', totalCount: 2, active: 1, size: 2_102_673, reclaimable: 2_082_673, showPercent: true });
  });

  it('never reports a negative reclaimable size', () => {
    const rows = summarizeDiskUsage(usage({ layersSize: 10, images: [image(100, 0, 1)] }));
    expect(rows[0]!.reclaimable).toBe(0);
  });

  it('containers: running and paused ones are active; the rest is reclaimable', () => {
    const rows = summarizeDiskUsage(usage({ containers: [container(700, { Running: true }), container(2, {}), container(5, { Running: true, Paused: true })] }));
    expect(rows[1]).toEqual({ type: 'Containers', totalCount: 3, active: 2, size: 707, reclaimable: 2, showPercent: true });
  });

  it('volumes: active when a container (any state) mounts them; build cache is empty', () => {
    const rows = summarizeDiskUsage(usage({ volumes: [volume(3000, 2), volume(0, 1), volume(12, 0)] }));
    expect(rows[2]).toEqual({ type: 'Local Volumes', totalCount: 3, active: 2, size: 3012, reclaimable: 12, showPercent: true });
    expect(rows[3]).toEqual({ type: 'Build Cache', totalCount: 0, active: 0, size: 0, reclaimable: 0, showPercent: false });
  });
});
