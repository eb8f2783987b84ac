/**
 * Volumes as Docker's local driver keeps them. Which containers use a volume
 * is derived from the container records (passed in as `users`), never kept
 * as a counter, so it cannot drift.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HostDirBackend, contentBytes } from '../../storage/host-dir.js';
import type { FsBackend } from '../../storage/backend.js';
import { withRootLock } from '../../state/lock.js';
import type { RootLayout } from '../../state/root.js';
import { DaemonError, noSuchVolume, unknownVolumeDriver, volumeInUse } from '../errors.js';
import { memoryDir } from '../memory-dir.js';
import { checkVolumeName } from '../mounts/volume-flag.js';
import { parseBoolFilter, parseFilters } from './filters.js';
import { matchesLabel } from '../filters.js';
import { checkLocalOptions, storageOf } from './local-driver.js';
import { VolumeStore } from './store.js';
import type { VolumeInspect, VolumeRecord } from './types.js';

export interface VolumeUsers {
  /** IDs of every container (running or not) whose mounts name the volume. */
  usersOf(name: string): string[];
  /** IDs of running containers whose mounts name the volume. */
  runningUsersOf(name: string): string[];
}

export interface CreateOptions {
  name?: string;
  driver?: string;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export class VolumeService {
  readonly store: VolumeStore;

  constructor(
    private readonly root: RootLayout,
    private readonly users: VolumeUsers,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.store = new VolumeStore(root);
  }

  /** Creating an existing volume returns it unchanged (labels kept), as Docker does. */
  async create(opts: CreateOptions = {}): Promise<VolumeRecord> {
    const anonymous = !opts.name;
    const name = opts.name ?? randomBytes(32).toString('hex');
    if (!anonymous) checkVolumeName(name);
    const driver = opts.driver ?? 'local';
    if (driver !== 'local') throw unknownVolumeDriver(name, driver);
    const options = opts.options && Object.keys(opts.options).length > 0 ? opts.options : null;
    if (options) checkLocalOptions(name, options);
    return withRootLock(this.root.path, () => {
      const existing = this.store.get(name);
      if (existing) return existing;
      const record: VolumeRecord = {
        Name: name,
        Driver: 'local',
        // Engine 20.10 keeps no labels as null, whether `volume create` or a mount made the volume.
        Labels: opts.labels && Object.keys(opts.labels).length > 0 ? { ...opts.labels } : null,
        Options: options,
        Scope: 'local',
        CreatedAt: this.now().toISOString().replace(/\.\d+Z$/, 'Z'),
        Anonymous: anonymous,
      };
      this.store.save(record);
      return record;
    });
  }

  get(name: string): VolumeRecord {
    const r = this.store.get(name);
    if (!r) throw noSuchVolume(name);
    return r;
  }

  tryGet(name: string): VolumeRecord | null {
    return this.store.get(name);
  }

  mountpoint(name: string): string {
    return this.store.dataDir(name);
  }

  inspect(name: string): VolumeInspect {
    const r = this.get(name);
    return {
      CreatedAt: r.CreatedAt,
      Driver: r.Driver,
      Labels: r.Labels,
      Mountpoint: this.mountpoint(r.Name),
      Name: r.Name,
      Options: r.Options,
      Scope: r.Scope,
    };
  }

  /** `volume ls` with Docker's filters: dangling, driver, label, name (a regular expression match). */
  list(filterArgs: readonly string[] = []): VolumeRecord[] {
    const filters = parseFilters(filterArgs, ['dangling', 'driver', 'label', 'name']);
    return this.store.list().filter((v) => {
      for (const [key, values] of Object.entries(filters)) {
        const ok = values.some((value) => {
          switch (key) {
            case 'dangling':
              return parseBoolFilter(key, value, values) === (this.users.usersOf(v.Name).length === 0);
            case 'driver':
              return v.Driver === value;
            case 'label':
              return matchesLabel(v.Labels, value);
            case 'name':
              return nameMatches(value, v.Name);
            default:
              return false;
          }
        });
        if (!ok) return false;
      }
      return true;
    });
  }

  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    await withRootLock(this.root.path, () => {
      const r = this.store.get(name);
      if (!r) {
        if (options.force) return;
        throw noSuchVolume(name);
      }
      const users = this.users.usersOf(name);
      if (users.length > 0) throw volumeInUse(name, users);
      this.store.delete(name);
      fs.rmSync(this.memoryPath(name), { recursive: true, force: true });
    });
  }

  /** Removes unused volumes (anonymous ones only unless `all`); returns names and bytes freed. */
  async prune(options: { all?: boolean; filters?: readonly string[] } = {}): Promise<{ deleted: string[]; reclaimed: number }> {
    const filters = parseFilters(options.filters ?? [], ['label', 'label!', 'all'], '--filter');
    const all = options.all || (filters.all ?? []).some((v) => parseBoolFilter('all', v, filters.all));
    return withRootLock(this.root.path, () => {
      const deleted: string[] = [];
      let reclaimed = 0;
      for (const v of this.store.list()) {
        if (!all && !v.Anonymous) continue;
        if (this.users.usersOf(v.Name).length > 0) continue;
        if (!(filters.label ?? []).every((l) => matchesLabel(v.Labels, l))) continue;
        if ((filters['label!'] ?? []).some((l) => matchesLabel(v.Labels, l))) continue;
        reclaimed += this.size(v.Name);
        this.store.delete(v.Name);
        deleted.push(v.Name);
      }
      return { deleted, reclaimed };
    });
  }

  /** Bytes of the files in the volume (what `system df -v` shows). */
  size(name: string): number {
    const r = this.store.get(name);
    if (!r) return 0;
    const storage = storageOf(this.store.dataDir(name), r.Options);
    const dir = storage.kind === 'bind' ? storage.device : storage.kind === 'tmpfs' ? this.memoryPath(name) : storage.path;
    try {
      return contentBytes(dir);
    } catch {
      return 0;
    }
  }

  isEmpty(name: string): boolean {
    const dir = this.filesDir(name);
    try {
      return fs.readdirSync(dir).length === 0;
    } catch {
      return true;
    }
  }

  /** The host directory that holds the volume's files. */
  filesDir(name: string): string {
    const r = this.get(name);
    const storage = storageOf(this.store.dataDir(name), r.Options);
    if (storage.kind === 'bind') return storage.device;
    if (storage.kind === 'tmpfs') return this.memoryPath(name);
    return storage.path;
  }

  /**
   * The volume's files as a backend for a container's mount table. A tmpfs
   * volume starts empty whenever no running container has it mounted, as a
   * fresh tmpfs mount does.
   */
  backend(name: string, options: { readOnly?: boolean } = {}): FsBackend {
    const r = this.get(name);
    const storage = storageOf(this.store.dataDir(name), r.Options);
    if (storage.kind === 'tmpfs') {
      const dir = this.memoryPath(name);
      if (this.users.runningUsersOf(name).length === 0) fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      return new HostDirBackend(dir, { kind: 'volume', readOnly: options.readOnly, sizeLimit: storage.sizeBytes ?? undefined });
    }
    if (storage.kind === 'bind') {
      if (!fs.existsSync(storage.device)) {
        throw new DaemonError(
          `error while mounting volume '${this.mountpoint(name)}': failed to mount local volume: mount ${storage.device}:${this.mountpoint(name)}, flags: 0x1000: no such file or directory`,
          'VOLUME_DEVICE_MISSING',
          { name },
        );
      }
      return new HostDirBackend(storage.device, { kind: 'volume', readOnly: options.readOnly });
    }
    fs.mkdirSync(storage.path, { recursive: true });
    return new HostDirBackend(storage.path, { kind: 'volume', readOnly: options.readOnly });
  }

  private memoryPath(name: string): string {
    return path.join(memoryDir(this.root.path), 'volumes', name);
  }
}

/** Docker matches `name=` filters as regular expressions; a pattern that is not one matches as text. */
function nameMatches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}
