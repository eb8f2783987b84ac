/**
 * A container's mount table: the root filesystem (the storage driver's view
 * of the container's layer stack) plus every mount on top of it, in the order
 * they were mounted.
 *
 * Terms
 * - A *target* is a canonical container path ("/data", "/etc/hostname"); the
 *   mount's backend answers for the target and everything below it, with the
 *   target itself as the backend's "/".
 * - A *file mount* is a mount whose backend's root is a file (`lstat("/")`
 *   is not a directory): Docker's /etc/hostname, /etc/hosts,
 *   /etc/resolv.conf, or `-v /host/motd:/etc/motd`. Below a file mount
 *   nothing exists (ENOTDIR), which the resolver gets for free from lstat.
 * - Lookup is by longest prefix over whole components; with two mounts on
 *   the same target the later one is on top, as with mount(2).
 *
 * A table never resolves symlinks and never touches a backend: it maps a
 * canonical path (from the resolver) to the backend that owns it.
 */
import type { FsBackend } from '../../storage/backend.js';
import { joinComponents, splitPath } from './path.js';

export type MountKind =
  | 'root'
  | 'bind'
  | 'volume'
  | 'tmpfs'
  | 'proc'
  | 'dev'
  | 'devpts'
  | 'sysfs'
  | 'cgroup'
  | 'mqueue'
  | 'file';

export interface Mount {
  /** Canonical absolute container path. */
  target: string;
  backend: FsBackend;
  /** Mounted read-only (`:ro`, `--read-only`): every mutation is EROFS whatever the backend allows. */
  readOnly: boolean;
  kind: MountKind;
  /** What `/proc/mounts` and `df` show as the filesystem: "overlay", "proc", "/dev/sda1", a volume name. */
  source: string;
  /** The filesystem type column of /proc/mounts ("overlay", "ext4", "tmpfs"); derived from `kind` when absent. */
  fsType?: string;
  /** The options column of /proc/mounts without the leading rw/ro ("relatime,lowerdir=..."); derived from `kind` when absent. */
  options?: string;
  /** Mounted noexec (tmpfs, /proc, /dev/shm, …): its regular files cannot be executed, and access(X_OK) says so. */
  noexec?: boolean;
}

export interface MountLookup {
  mount: Mount;
  /** The backend path for the looked-up container path: always normalised and absolute. */
  rel: string;
}

/** The root filesystem as given to the table: a mount whose target is "/". */
export type RootMount = Omit<Mount, 'target' | 'kind' | 'readOnly' | 'source'> &
  Partial<Pick<Mount, 'readOnly' | 'source'>>;

export class MountTable {
  readonly root: Mount;
  private readonly stack: Mount[];
  /** Targets split once, parallel to `stack`. */
  private readonly targets: string[][];

  constructor(root: RootMount | Mount, mounts: readonly Mount[] = []) {
    this.root =
      'target' in root
        ? root
        : { ...root, target: '/', kind: 'root', readOnly: root.readOnly ?? false, source: root.source ?? 'overlay' };
    this.stack = mounts.map((m) => ({ ...m, target: joinComponents(splitPath(m.target)) }));
    this.targets = this.stack.map((m) => splitPath(m.target));
  }

  /** Every mount, root first, in mount order (the order of /proc/mounts). */
  list(): readonly Mount[] {
    return [this.root, ...this.stack];
  }

  /** Mounts other than the root, in mount order. */
  mountsOnly(): readonly Mount[] {
    return this.stack;
  }

  /** The mount owning a canonical path, and the path inside its backend. */
  lookup(components: readonly string[]): MountLookup {
    let best = -1;
    let bestDepth = -1;
    for (let i = 0; i < this.stack.length; i++) {
      const t = this.targets[i];
      // ">=" so that a later mount on the same target hides an earlier one.
      if (t.length >= bestDepth && t.length <= components.length && isPrefix(t, components)) {
        best = i;
        bestDepth = t.length;
      }
    }
    if (best < 0) return { mount: this.root, rel: joinComponents(components) };
    return { mount: this.stack[best], rel: joinComponents(components.slice(bestDepth)) };
  }

  /**
   * How many of `names`, appended one at a time to the canonical path
   * `components`, stay on the mount that owns `components` (the first one
   * that is a mount's target, or lies below it, is where the count stops).
   */
  namesOnSameMount(components: readonly string[], names: readonly string[]): number {
    let count = names.length;
    for (const t of this.targets) {
      if (t.length <= components.length || t.length - components.length > count || !isPrefix(components, t)) continue;
      const need = t.length - components.length;
      let k = 0;
      while (k < need && names[k] === t[components.length + k]) k++;
      if (k === need) count = need - 1;
    }
    return count;
  }

  /** True when the canonical path is the target of a mount (or "/"): it cannot be removed or renamed (EBUSY). */
  isMountPoint(components: readonly string[]): boolean {
    return components.length === 0 || this.targets.some((t) => sameComponents(t, components));
  }

  /** Names of mount targets directly inside a directory, so `ls` shows them even if the mountpoint was never created. */
  childMountNames(dir: readonly string[]): string[] {
    const names = new Set<string>();
    for (const t of this.targets) {
      if (t.length === dir.length + 1 && isPrefix(dir, t)) names.add(t[t.length - 1]);
    }
    return [...names];
  }

  /** A table with the same targets whose backends are replaced (per-process views of /proc and /dev). */
  mapBackends(fn: (mount: Mount) => FsBackend): MountTable {
    return new MountTable(
      { ...this.root, backend: fn(this.root) },
      this.stack.map((m) => ({ ...m, backend: fn(m) })),
    );
  }

  /** A table with the mounts replaced (prepareMountpoints canonicalises targets). */
  withMounts(mounts: readonly Mount[]): MountTable {
    return new MountTable(this.root, mounts);
  }
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

function sameComponents(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && isPrefix(a, b);
}
