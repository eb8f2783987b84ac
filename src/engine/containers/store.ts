/**
 * The container records on disk: `<root>/containers/<id>/` with
 * config.v2.json, hostconfig.json, hostname, hosts, resolv.conf and the
 * json-file log. Reads are lock-free (files are replaced atomically);
 * every read-modify-write goes through `update`, under the root lock.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic, writeJsonAtomic } from '../../state/atomic.js';
import { readJsonFile } from '../../state/json-file.js';
import { damagedFile } from '../../state/errors.js';
import { withRootLock } from '../../state/lock.js';
import type { RootLayout } from '../../state/root.js';
import { ambiguousContainerPrefix, noSuchContainer } from '../errors.js';
import { listRecords, markContainersChanged } from './list-snapshot.js';
import type { Container, ContainerRecord, HostConfig, ListedContainer, ListedRecord } from './types.js';

const CONFIG = 'config.v2.json';
const HOSTCONFIG = 'hostconfig.json';

export class ContainerStore {
  /** Joined once: listings build two paths per container, and path.join showed in their profile. */
  private readonly base: string;

  constructor(readonly root: RootLayout) {
    this.base = root.containersDir;
  }

  dir(id: string): string {
    return `${this.base}${path.sep}${id}`;
  }

  logPath(id: string): string {
    return path.join(this.dir(id), `${id}-json.log`);
  }

  ids(): string[] {
    try {
      return fs.readdirSync(this.root.containersDir).filter((n) => /^[0-9a-f]{64}$/.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /**
   * A record by full ID; null when missing (or half-created: no config yet).
   * hostconfig.json is read on first use of `host`: listings and lookups by
   * name read every record and most of them never look at it.
   */
  read(id: string): Container | null {
    const dir = this.dir(id);
    const record = readJsonFile<ContainerRecord>(`${dir}${path.sep}${CONFIG}`);
    if (!record) return null;
    return withLazyHost({ record }, `${dir}${path.sep}${HOSTCONFIG}`);
  }

  all(): Container[] {
    const out: Container[] = [];
    for (const id of this.ids()) {
      const c = this.read(id);
      if (c) out.push(c);
    }
    return out;
  }

  /**
   * Every container as listings see it, newest first, through the container
   * list snapshot (list-snapshot.ts): only records changed since the last
   * listing are read.
   */
  listed(): ListedContainer[] {
    const records = listRecords({
      file: this.root.containerListFile,
      dir: this.base,
      ids: () => this.ids(),
      configFile: (id) => `${this.dir(id)}${path.sep}${CONFIG}`,
      read: (id) => readJsonFile<ContainerRecord>(`${this.dir(id)}${path.sep}${CONFIG}`),
    });
    const containers: ListedContainer[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      containers.push(withLazyHost({ record }, `${this.base}${path.sep}${record.ID}${path.sep}${HOSTCONFIG}`));
    }
    return containers;
  }

  /**
   * Docker's lookup order: full ID, then exact name, then a unique ID
   * prefix. Returns null when nothing matches.
   */
  find(nameOrId: string): Container | null {
    if (/^[0-9a-f]{64}$/.test(nameOrId)) {
      const c = this.read(nameOrId);
      if (c) return c;
    }
    // Found among the listed records, then read in full.
    const all = this.listed();
    const wanted = nameOrId.startsWith('/') ? nameOrId : `/${nameOrId}`;
    const byName = all.find((c) => c.record.Name === wanted);
    if (byName) return this.read(byName.record.ID);
    if (nameOrId === '' || !/^[0-9a-f]+$/.test(nameOrId)) return null;
    const matches = all.filter((c) => c.record.ID.startsWith(nameOrId));
    if (matches.length > 1) throw ambiguousContainerPrefix(nameOrId);
    return matches[0] ? this.read(matches[0].record.ID) : null;
  }

  /** Like `find`, throwing Docker's "No such container" when missing. */
  get(nameOrId: string): Container {
    const c = this.find(nameOrId);
    if (!c) throw noSuchContainer(nameOrId);
    return c;
  }

  /**
   * Writes both records (caller holds the lock or owns a new container). A
   * host config read from this directory and never looked at since cannot
   * have changed: it is not rewritten (two fewer fsyncs per state change).
   */
  write(c: Container, dir = this.dir(c.record.ID)): void {
    fs.mkdirSync(dir, { recursive: true });
    // A published container, as opposed to one staged under a temporary name.
    const published = dir === this.dir(c.record.ID);
    const untouched = published && Object.getOwnPropertyDescriptor(c, 'host')?.get !== undefined;
    if (!untouched) writeJsonAtomic(path.join(dir, HOSTCONFIG), c.host);
    // Listings' snapshot must no longer stand for this record (list-snapshot.ts); a staged one is marked by its publishing rename.
    if (published) markContainersChanged(this.base);
    writeJsonAtomic(path.join(dir, CONFIG), c.record);
    if (published) markContainersChanged(this.base);
  }

  writeFile(id: string, name: string, data: string, dir = this.dir(id)): void {
    writeFileAtomic(path.join(dir, name), data);
  }

  /**
   * A new container's directory is built aside, under a temporary name
   * (`.<id>.tmp-<pid>-<hex>`, which listings skip and `system check`
   * removes once stale), and renamed into place by `publish` once its
   * records exist: a crash never leaves a container directory without them.
   */
  stage(id: string): string {
    const tmp = this.tempName(id);
    fs.mkdirSync(this.root.containersDir, { recursive: true });
    fs.mkdirSync(tmp);
    return tmp;
  }

  publish(staged: string, id: string): void {
    fs.renameSync(staged, this.dir(id));
    fsyncDir(this.root.containersDir);
  }

  private tempName(id: string): string {
    return path.join(this.root.containersDir, `.${id}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  /**
   * Read-modify-write of one container under the root lock. `fn` returns
   * the new state (or mutates in place); a container removed meanwhile is
   * "No such container".
   */
  async update<T>(id: string, fn: (c: Container) => T | Promise<T>): Promise<T> {
    return withRootLock(this.root.path, async () => {
      const c = this.read(id);
      if (!c) throw noSuchContainer(id);
      const result = await fn(c);
      this.write(c);
      return result;
    });
  }

  lock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withRootLock(this.root.path, fn);
  }

  /**
   * Removes the directory: renamed to a temporary name first (which needs no
   * space, so it works on a full disk), then deleted; a crash leaves only a
   * temporary directory, which `system check` removes.
   */
  delete(id: string): void {
    const dir = this.dir(id);
    const doomed = this.tempName(id);
    try {
      fs.renameSync(dir, doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      // Cannot rename (an odd filesystem): config first, so no half record is ever read.
      fs.rmSync(path.join(dir, CONFIG), { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    fs.rmSync(doomed, { recursive: true, force: true });
  }
}

/** Where a record's lazy `host` comes from (a symbol: not a record field, and invisible to JSON). */
const HOST_FILE = Symbol('hostconfig.json');

interface LazyHost {
  [HOST_FILE]: string;
}

function setHost(c: object, host: HostConfig): void {
  Object.defineProperty(c, 'host', { value: host, writable: true, configurable: true, enumerable: true });
}

/**
 * One accessor pair for every record: objects given the same pair share
 * their shape, where a pair of closures per object (a thousand in a
 * listing) would give each its own. Reading replaces it with the value.
 */
const LAZY_HOST: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: LazyHost): HostConfig {
    const file = this[HOST_FILE];
    // A published directory always has both files (see stage): a missing one is damage.
    const host = readJsonFile<HostConfig>(file);
    if (!host) throw damagedFile(file, 'missing');
    setHost(this, host);
    return host;
  },
  set(this: LazyHost, host: HostConfig) {
    setHost(this, host);
  },
};

/**
 * Gives `c` a `host` read from `file` on first use, an own enumerable
 * property, so that spreads and clones keep it.
 */
function withLazyHost<T extends { record: ContainerRecord | ListedRecord }>(c: T, file: string): T & { host: HostConfig } {
  (c as T & LazyHost)[HOST_FILE] = file;
  Object.defineProperty(c, 'host', LAZY_HOST);
  return c as T & { host: HostConfig };
}
