/**
 * A container's whole filesystem namespace: its root filesystem and mounts.
 * One `ContainerFs` per container; each process gets a `ProcessFs` from
 * `forProcess`, bound to its working directory, user and stdio.
 *
 * Example
 *   const cfs = new ContainerFs({ backend: driver.view(layerId), readOnly: false },
 *     [...standardMounts({ processes }), { target: '/data', backend: volume, kind: 'volume', readOnly: false, source: '/dev/sda1' }]);
 *   cfs.prepareMountpoints();              // creates /data in the container layer: `docker diff` shows A /data
 *   const fs = cfs.forProcess('/', { pid: 1, argv: ['sh'], user: { uid: 0, gid: 0 },
 *     stdio: { stdin, stdout, stderr } });  // see stdio.ts for the handles
 *   fs.writeFile('/data/x', 'hello');      // lands in the volume
 *   fs.writeFile('/dev/stdout', 'hi\n');   // reaches the process's stdout
 */
import type { FsBackend } from '../../storage/backend.js';
import { MountTable, type Mount, type RootMount } from './mount-table.js';
import { prepareMountpoints } from './mountpoints.js';
import { ROOT_USER, type FsUser } from './permissions.js';
import type { ProcessFs } from './process-fs.js';
import { ProcessView } from './process-view.js';
import { Resolver } from './resolver.js';
import { isProcessBound, type ProcessIdentity, type StdioHandles } from './stdio.js';

export interface ForProcessOptions {
  /** The process user; root by default. */
  user?: FsUser;
  /** The process's fds 0, 1, 2 (and its terminal), reached through /dev/std* and /proc/self/fd. */
  stdio?: StdioHandles;
  /** What /proc/self points to; 1 by default. */
  pid?: number;
  /** /proc/self/cmdline. */
  argv?: readonly string[];
}

export class ContainerFs {
  private table: MountTable;

  constructor(root: RootMount, mounts: readonly Mount[] = []) {
    this.table = new MountTable(root, mounts);
  }

  get mountTable(): MountTable {
    return this.table;
  }

  /**
   * Creates missing mount points (see mountpoints.ts) and pins each mount to
   * its canonical target. Call once, before the first `forProcess`.
   * Returns the container paths it created.
   */
  prepareMountpoints(): string[] {
    const { table, created } = prepareMountpoints(this.table);
    this.table = table;
    return created;
  }

  /** The namespace seen by one process from `cwd` (ENOENT/ENOTDIR/EACCES when it cannot chdir there). */
  forProcess(cwd = '/', options: ForProcessOptions = {}): ProcessFs {
    const user = options.user ?? ROOT_USER;
    const mounts = (): readonly Mount[] => this.table.list();
    const identity: ProcessIdentity = { pid: options.pid ?? 1, argv: options.argv ?? [], user, stdio: options.stdio ?? {}, mounts };
    const bind = (m: Mount): FsBackend => (isProcessBound(m.backend) ? m.backend.forProcess(identity) : m.backend);
    const table = this.table.list().some((m) => isProcessBound(m.backend)) ? this.table.mapBackends(bind) : this.table;
    return new ProcessView({ table, resolver: new Resolver(table), user }, []).withCwd(cwd);
  }
}
