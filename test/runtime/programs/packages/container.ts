/**
 * A container over real storage for the package and service tests: a
 * catalog image applied to overlay2 layers, a writable container layer on
 * top, optional volumes (host directories), and a ProcessRunner that runs
 * programs by PATH lookup as `docker run` / `docker exec` would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Catalog, layerTarStream } from '../../../../src/engine/catalog/index.js';
import { ProcessRunner } from '../../../../src/runtime/exec.js';
import { ContainerFs } from '../../../../src/runtime/fs/container-fs.js';
import type { Mount } from '../../../../src/runtime/fs/mount-table.js';
import { standardMounts } from '../../../../src/runtime/fs/standard-mounts.js';
import type { SignalName } from '../../../../src/runtime/process.js';
import { BufferInput, CollectorOutput } from '../../../../src/runtime/streams.js';
import type { StorageDriver } from '../../../../src/storage/driver.js';
import { HostDirBackend } from '../../../../src/storage/host-dir.js';
import { createDriver } from '../../../../src/storage/index.js';

const catalog = new Catalog();
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Started {
  stdout: CollectorOutput;
  stderr: CollectorOutput;
  signal(sig: SignalName): void;
  exited: Promise<number>;
}

export class TestHost {
  readonly dir: string;
  readonly driver: StorageDriver;
  private readonly images = new Map<string, string>();

  constructor() {
    this.dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'mydock-pkg-'));
    this.driver = createDriver('overlay2', this.dir);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Applies a catalog image's layers (once per host) and returns its top layer id. */
  async image(repository: string, tag = 'latest'): Promise<string> {
    const key = `${repository}:${tag}`;
    const known = this.images.get(key);
    if (known) return known;
    const spec = catalog.all().find((i) => i.spec.repository === repository && i.spec.tags.includes(tag))?.spec;
    if (!spec) throw new Error(`no catalog image ${key}`);
    let parent: string | null = null;
    for (const [i, layer] of spec.layers.entries()) {
      const id = `${repository}-${tag}-${i}`.replace(/[^a-z0-9-]/g, '-');
      this.driver.create(id, parent);
      await this.driver.applyDiff(id, layerTarStream(layer));
      this.driver.freeze(id);
      parent = id;
    }
    this.images.set(key, parent!);
    return parent!;
  }

  /** A host directory standing for a named volume. */
  volume(name: string): HostDirBackend {
    const dir = nodePath.join(this.dir, 'volumes', name);
    fs.mkdirSync(dir, { recursive: true });
    return new HostDirBackend(dir, { kind: 'volume', ownersFile: `${dir}.owners.json` });
  }

  async container(repository: string, tag = 'latest', options: { volumes?: Record<string, HostDirBackend>; name?: string } = {}): Promise<TestContainer> {
    const image = await this.image(repository, tag);
    const id = options.name ?? `ctr-${Math.random().toString(16).slice(2, 10)}`;
    this.driver.create(id, image);
    const mounts: Mount[] = [...standardMounts()];
    for (const [target, backend] of Object.entries(options.volumes ?? {})) mounts.push({ target, backend, readOnly: false, kind: 'volume', source: '/dev/sda1' });
    const cfs = new ContainerFs({ backend: this.driver.view(id) }, mounts);
    cfs.prepareMountpoints();
    return new TestContainer(this.driver, id, cfs);
  }
}

export class TestContainer {
  readonly runner: ProcessRunner;
  constructor(
    readonly driver: StorageDriver,
    readonly id: string,
    readonly cfs: ContainerFs,
  ) {
    this.runner = new ProcessRunner({ forProcess: (cwd, o) => cfs.forProcess(cwd, o), container: { id, name: id, hostname: id.slice(0, 12), image: 'test' } });
  }

  get fs() {
    return this.cfs.forProcess('/');
  }

  /** Starts a program; the caller awaits `exited` (or signals it first). */
  async start(argv: string[], options: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}): Promise<Started> {
    const stdout = new CollectorOutput(options.tty ?? false);
    const stderr = new CollectorOutput(options.tty ?? false);
    const p = await this.runner.startMainProcess(argv, {
      env: { PATH: DEFAULT_PATH, HOME: '/root', ...options.env },
      stdout,
      stderr,
      stdin: new BufferInput(options.stdin ?? '', options.tty ?? false),
      pid1: true,
    });
    return { stdout, stderr, signal: (s) => p.signals.send(s), exited: p.exited.then((e) => e.status) };
  }

  /** Runs a program to its end. */
  async run(argv: string[], options: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}): Promise<{ stdout: string; stderr: string; status: number }> {
    const s = await this.start(argv, options);
    const status = await s.exited;
    return { stdout: s.stdout.text(), stderr: s.stderr.text(), status };
  }

  /** The layer's size as `docker ps -s` / `docker history` count it. */
  size(): number {
    return this.driver.diffSize(this.id);
  }
}

/** Docker's human size: decimal units, three significant digits ("2.24MB"). */
export function dockerSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}
