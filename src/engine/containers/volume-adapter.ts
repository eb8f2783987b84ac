/**
 * Mounts for containers on top of the volume service: the smallest adapter
 * the container service needs until the volume engine provides its own
 * (replace `volumePortFor` in wiring.ts then).
 *
 * At create: each requested mount becomes a MountPoint as Docker records it
 * (named and anonymous volumes are created; a `-v` bind source that does
 * not exist is created as a directory, a `--mount` one is an error), the
 * image's VOLUMEs not covered by a mount get anonymous volumes, and
 * `--volumes-from` copies another container's mount points.
 * Then the new, empty volumes are filled from the image (Engine 20.10 does
 * this at create, so a container that never starts fills them too).
 * At start: MountPoints become container filesystem mounts.
 * At rm: `-v` (and `--rm`) remove the anonymous volumes.
 */
import fs from 'node:fs';
import type { FsStat } from '../../storage/backend.js';
import { prepopulate } from '../volumes/prepopulate.js';
import { HostDirBackend } from '../../storage/host-dir.js';
import type { Mount } from '../../runtime/fs/mount-table.js';
import { invalidMountConfig } from '../errors.js';
import type { VolumeService } from '../volumes/service.js';
import type { PreparedMounts, VolumePort } from './ports.js';
import type { ContainerStore } from './store.js';
import { openTmpfs, resetTmpfs, tmpfsNoexec } from './tmpfs-dirs.js';
import type { Container, MountPoint, RequestedMount } from './types.js';

export interface ContainerMountPort extends VolumePort {
  /** The container filesystem mounts for a container's mount points, in mount order (shorter targets first). */
  mounts(c: Container, rootLstat: (path: string) => FsStat | null): Mount[];
}

function mountPoint(m: RequestedMount, source: string, name: string): MountPoint {
  const fromFlag = m.origin === 'volume-flag';
  return {
    Source: source,
    Destination: m.target,
    RW: !m.readOnly,
    Name: name,
    Driver: m.type === 'volume' ? 'local' : '',
    Type: m.type,
    // -v records its mode field ("z" by default for a named volume); --mount, anonymous and image volumes none.
    Relabel: fromFlag ? (m.mode || (m.type === 'volume' && m.source !== '' ? 'z' : '')) : '',
    Propagation: m.type === 'bind' ? m.propagation || 'rprivate' : '',
    Spec: {},
    SkipMountpointCreation: false,
  };
}

export function volumePortFor(volumes: VolumeService, containers: ContainerStore): ContainerMountPort {
  return {
    async prepare(_containerId, requests, host): Promise<PreparedMounts> {
      const points: Record<string, MountPoint> = {};
      const anonymous: string[] = [];
      for (const from of host.VolumesFrom ?? []) {
        const [ref, mode] = from.split(':');
        const other = containers.get(ref!);
        // Inherited mount points carry no mode of their own: Docker shows Mode "" for them.
        for (const p of Object.values(other.record.MountPoints)) {
          points[p.Destination] = { ...p, Relabel: p.Type === 'volume' ? '' : p.Relabel, RW: mode === 'ro' ? false : mode === 'rw' ? true : p.RW };
        }
      }
      for (const m of requests) {
        if (m.type === 'volume') {
          const record = await volumes.create({ name: m.source || undefined, labels: m.volume?.labels && Object.keys(m.volume.labels).length > 0 ? m.volume.labels : undefined });
          if (!m.source) anonymous.push(record.Name);
          points[m.target] = mountPoint(m, volumes.mountpoint(record.Name), record.Name);
        } else if (m.type === 'bind') {
          if (!fs.existsSync(m.source)) {
            if (m.origin === 'mount-flag') throw invalidMountConfig('bind', `bind source path does not exist: ${m.source}`);
            fs.mkdirSync(m.source, { recursive: true });
          }
          points[m.target] = mountPoint(m, m.source, '');
        } else if (m.origin === 'mount-flag') {
          points[m.target] = mountPoint(m, '', '');
        }
      }
      return { mountPoints: points, anonymousVolumes: anonymous };
    },

    /** Called once the container's record is gone: every anonymous volume it mounted goes, unless another container still uses it. */
    async release(record, removeAnonymous) {
      if (!removeAnonymous) return;
      for (const p of Object.values(record.MountPoints)) {
        if (p.Type !== 'volume' || volumes.tryGet(p.Name)?.Anonymous !== true) continue;
        await volumes.remove(p.Name).catch(() => undefined);
      }
    },

    resetTmpfs(c) {
      resetTmpfs(containers.dir(c.record.ID));
    },

    populate(record, rootfs) {
      // Docker's CopyData: true for -v, --mount and image VOLUMEs unless nocopy; never for binds,
      // tmpfs or what --volumes-from inherits (those are not in RequestedMounts as volumes).
      for (const m of record.Mydock.RequestedMounts) {
        if (m.type !== 'volume' || m.volume?.noCopy === true) continue;
        const point = record.MountPoints[m.target];
        if (point?.Type !== 'volume') continue;
        prepopulate(rootfs, m.target, volumes.backend(point.Name), { noCopy: false });
      }
    },

    mounts(c, rootLstat) {
      const out: Mount[] = [];
      // tmpfs (--tmpfs and --mount type=tmpfs): over an image directory it takes that directory's
      // mode (mode= is then ignored, as with Docker); elsewhere mode= or 1777.
      for (const m of c.record.Mydock.RequestedMounts) {
        if (m.type !== 'tmpfs') continue;
        const existing = rootLstat(m.target);
        const rootMode = existing?.type === 'dir' ? existing.mode & 0o7777 : (m.tmpfs?.mode ?? 0o1777);
        const sizeLimit = m.tmpfs?.sizeBytes ?? null;
        const noexec = tmpfsNoexec(c.host.Tmpfs?.[m.target]);
        const options = ['nosuid', 'nodev', ...(noexec ? ['noexec'] : []), 'relatime', ...(sizeLimit !== null ? [`size=${Math.floor(sizeLimit / 1024)}k`] : []), 'inode64'];
        out.push({
          target: m.target,
          backend: openTmpfs(containers.dir(c.record.ID), m.target, rootMode, sizeLimit),
          readOnly: m.readOnly,
          kind: 'tmpfs',
          source: 'tmpfs',
          options: options.join(','),
          noexec,
        });
      }
      for (const p of Object.values(c.record.MountPoints)) {
        if (p.Type === 'volume') out.push({ target: p.Destination, backend: volumes.backend(p.Name), readOnly: !p.RW, kind: 'volume', source: '/dev/sda1' });
        else if (p.Type === 'bind') out.push({ target: p.Destination, backend: new HostDirBackend(followHostLinks(p.Source), { kind: 'bind', ownership: 'host' }), readOnly: !p.RW, kind: 'bind', source: '/dev/sda1' });
      }
      return out.sort((a, b) => a.target.split('/').length - b.target.split('/').length);
    },
  };
}

/**
 * mount(2) follows symlinks in a bind source on the host: `-v ./link:/x`
 * mounts what the link points to. The user named that host path, so this
 * never reaches a path they did not give.
 */
function followHostLinks(source: string): string {
  try {
    return fs.realpathSync(source);
  } catch {
    return source;
  }
}
