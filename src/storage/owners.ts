/**
 * File ownership without root.
 *
 * Containers see files owned by root, by `nobody`, by a service user. When
 * mydock runs as root it simply uses lchown on the host files. Otherwise it
 * cannot, so it records owners in a sidecar JSON file kept *outside* the tree
 * it describes (a layer's `owners.json` beside its `diff/`): the tree stays a
 * faithful copy of what Docker would store, and no entry in it can spoof its
 * owner. Entries are keyed by inode number, so owners follow renames and are
 * shared by hard links, as on a real filesystem. Files with no entry belong
 * to root (0:0), which is also what a rootless Docker shows for the files of
 * the user who runs it; so the sidecar holds only the files that differ and
 * stays small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic.js';

export interface Owner {
  uid: number;
  gid: number;
}

export type OwnershipMode = 'host' | 'sidecar';

export interface OwnerStore {
  readonly mode: OwnershipMode;
  /** The owner of the host file whose lstat is `st`. */
  get(hostPath: string, st: fs.Stats): Owner;
  /** Sets the owner of an existing host file. */
  set(hostPath: string, st: fs.Stats, owner: Owner): void;
  /** A new file was created by mydock (owned by root in the container's eyes). */
  created(hostPath: string, st: fs.Stats): void;
  /** The last name of this inode is about to go away. */
  forget(st: fs.Stats): void;
  /** Runs `fn` with writes of the sidecar deferred to its end (tar extraction). */
  batch<T>(fn: () => T): T;
  batchAsync<T>(fn: () => Promise<T>): Promise<T>;
}

export function defaultOwnershipMode(): OwnershipMode {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? 'host' : 'sidecar';
}

/** Real owners, via lchown (needs root). */
export class HostOwners implements OwnerStore {
  readonly mode = 'host' as const;
  get(_hostPath: string, st: fs.Stats): Owner {
    return { uid: st.uid, gid: st.gid };
  }
  set(hostPath: string, _st: fs.Stats, owner: Owner): void {
    fs.lchownSync(hostPath, owner.uid, owner.gid);
  }
  created(): void {}
  forget(): void {}
  batch<T>(fn: () => T): T {
    return fn();
  }
  batchAsync<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

interface SidecarFile {
  /** inode number -> [uid, gid] */
  owners: Record<string, [number, number]>;
}

/** Owners recorded in a JSON file outside the tree. */
export class SidecarOwners implements OwnerStore {
  readonly mode = 'sidecar' as const;
  private map: Map<string, [number, number]> | null = null;
  /** Size and mtime of the file when read: another process may have written it since. */
  private seen = '';
  private depth = 0;
  private dirty = false;

  constructor(readonly file: string) {}

  get(_hostPath: string, st: fs.Stats): Owner {
    const e = this.load().get(String(st.ino));
    return e ? { uid: e[0], gid: e[1] } : { uid: 0, gid: 0 };
  }

  set(_hostPath: string, st: fs.Stats, owner: Owner): void {
    const map = this.load();
    const key = String(st.ino);
    const had = map.get(key);
    if (owner.uid === 0 && owner.gid === 0) {
      if (!had) return;
      map.delete(key);
    } else {
      if (had && had[0] === owner.uid && had[1] === owner.gid) return;
      map.set(key, [owner.uid, owner.gid]);
    }
    this.changed();
  }

  created(_hostPath: string, st: fs.Stats): void {
    // A reused inode number must not inherit a dead file's owner.
    this.forget(st);
  }

  forget(st: fs.Stats): void {
    const map = this.load();
    if (map.delete(String(st.ino))) this.changed();
  }

  batch<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0 && this.dirty) this.flush();
    }
  }

  async batchAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.depth++;
    try {
      return await fn();
    } finally {
      this.depth--;
      if (this.depth === 0 && this.dirty) this.flush();
    }
  }

  private stamp(): string {
    try {
      const st = fs.statSync(this.file);
      return `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      return 'none';
    }
  }

  private load(): Map<string, [number, number]> {
    if (this.map && (this.depth > 0 || this.stamp() === this.seen)) return this.map;
    this.seen = this.stamp();
    const map = new Map<string, [number, number]>();
    if (this.seen !== 'none') {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as SidecarFile;
      for (const [k, v] of Object.entries(data.owners)) map.set(k, v);
    }
    this.map = map;
    return map;
  }

  private changed(): void {
    this.dirty = true;
    if (this.depth === 0) this.flush();
  }

  private flush(): void {
    const map = this.map ?? new Map<string, [number, number]>();
    const data: SidecarFile = { owners: Object.fromEntries(map) };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(data));
    this.dirty = false;
    this.seen = this.stamp();
  }
}

/** `mode` defaults to what the process can do: lchown as root, else a sidecar at `sidecarFile`. */
export function ownerStore(mode: OwnershipMode, sidecarFile: string): OwnerStore {
  return mode === 'host' ? new HostOwners() : new SidecarOwners(sidecarFile);
}
