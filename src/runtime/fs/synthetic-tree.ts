/**
 * A read-only tree whose entries are computed when looked at: the backend of
 * /proc and /sys. Directories list their entries on demand, files produce
 * their content when opened (a snapshot, as /proc's seq files do), and
 * "opener" nodes hand out a handle of their own (/proc/self/fd/1 is the
 * process's stdout).
 *
 * The tree is built by a function of the process looking at it, so one
 * mount serves every process and /proc/self means each one's own pid: the
 * process view calls `forProcess` to get a bound copy.
 *
 * Like the kernel's /proc, files report size 0, and writes are refused with
 * EACCES (the mount itself is rw; nothing here is writable).
 */
import { FsError, type FileHandle, type FileType, type FsBackend, type FsStat, type OpenFlags } from '../../storage/backend.js';
import { splitPath } from './path.js';
import type { ProcessBound, ProcessIdentity } from './stdio.js';

export type SynthNode =
  | { type: 'dir'; entries: () => Record<string, SynthNode>; mode?: number; uid?: number; gid?: number }
  | { type: 'file'; content: () => string | Uint8Array; mode?: number }
  | { type: 'symlink'; target: () => string }
  | {
      type: 'opener';
      /** What lstat reports: a device, a fifo, a file. */
      fileType: FileType;
      mode?: number;
      /** Owner (a process's fds belong to the process's user). */
      uid?: number;
      gid?: number;
      rdev?: { major: number; minor: number };
      open: (flags: OpenFlags, path: string) => FileHandle;
    };

export type SynthBuilder = (process: ProcessIdentity | null) => SynthNode;

export class SyntheticTree implements FsBackend, ProcessBound {
  readonly readOnly = false;
  private readonly root: SynthNode;

  constructor(
    readonly kind: string,
    private readonly build: SynthBuilder,
    /** Times of every entry: when the "kernel" booted. */
    private readonly bootTimeMs: number = Date.now(),
    process: ProcessIdentity | null = null,
  ) {
    this.root = build(process);
  }

  forProcess(process: ProcessIdentity): FsBackend {
    return new SyntheticTree(this.kind, this.build, this.bootTimeMs, process);
  }

  lstat(path: string): FsStat | null {
    const n = this.find(path);
    if (!n) return null;
    const t = this.bootTimeMs;
    const base = { uid: 0, gid: 0, size: 0, nlink: 1, ino: inodeOf(this.kind, path), atimeMs: t, mtimeMs: t, ctimeMs: t };
    switch (n.type) {
      case 'dir':
        return { ...base, type: 'dir', mode: n.mode ?? 0o555, nlink: 2, uid: n.uid ?? 0, gid: n.gid ?? 0 };
      case 'file':
        return { ...base, type: 'file', mode: n.mode ?? 0o444 };
      case 'symlink':
        return { ...base, type: 'symlink', mode: 0o777, size: Buffer.byteLength(n.target()) };
      case 'opener':
        return { ...base, type: n.fileType, mode: n.mode ?? 0o600, uid: n.uid ?? 0, gid: n.gid ?? 0, ...(n.rdev ? { rdev: n.rdev } : {}) };
    }
  }

  readdir(path: string): string[] {
    const n = this.need(path, 'scandir');
    if (n.type !== 'dir') throw new FsError('ENOTDIR', path, 'scandir');
    return Object.keys(n.entries()).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  readlink(path: string): string {
    const n = this.need(path, 'readlink');
    if (n.type !== 'symlink') throw new FsError('EINVAL', path, 'readlink');
    return n.target();
  }

  open(path: string, flags: OpenFlags): FileHandle {
    const n = this.find(path);
    if (!n) throw new FsError(flags.create ? 'EACCES' : 'ENOENT', path, 'open');
    if (n.type === 'dir') throw new FsError('EISDIR', path, 'open');
    if (n.type === 'symlink') throw new FsError('ELOOP', path, 'open');
    if (n.type === 'opener') return n.open(flags, path);
    if (flags.write || flags.append || flags.truncate) throw new FsError('EACCES', path, 'open');
    const raw = n.content();
    const data = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw);
    return contentHandle(data, () => this.lstat(path) ?? deny(path, 'fstat'));
  }

  mkdir(path: string): void {
    deny(path, 'mkdir');
  }
  rmdir(path: string): void {
    deny(path, 'rmdir');
  }
  unlink(path: string): void {
    deny(path, 'unlink');
  }
  symlink(_target: string, path: string): void {
    deny(path, 'symlink');
  }
  link(_existing: string, newPath: string): void {
    deny(newPath, 'link');
  }
  rename(from: string): void {
    deny(from, 'rename');
  }
  chmod(path: string): void {
    deny(path, 'chmod');
  }
  chown(path: string): void {
    deny(path, 'chown');
  }
  utimes(path: string): void {
    deny(path, 'utime');
  }

  private find(path: string): SynthNode | null {
    let n: SynthNode = this.root;
    for (const c of splitPath(path)) {
      if (n.type !== 'dir') throw new FsError('ENOTDIR', path);
      const entries = n.entries();
      // Own properties only: "constructor" or "__proto__" are names like any other.
      if (!Object.prototype.hasOwnProperty.call(entries, c)) return null;
      n = entries[c];
    }
    return n;
  }

  private need(path: string, syscall: string): SynthNode {
    const n = this.find(path);
    if (!n) throw new FsError('ENOENT', path, syscall);
    return n;
  }
}

function deny(path: string, syscall: string): never {
  throw new FsError('EACCES', path, syscall);
}

/** A stable inode number per path, so `ls -i` and `find` see consistent entries. */
function inodeOf(kind: string, path: string): number {
  let h = 2166136261;
  for (const ch of kind + ':' + path) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) || 1;
}

/** A read-only handle over bytes produced at open. */
export function contentHandle(data: Buffer, stat: () => FsStat): FileHandle {
  let offset = 0;
  return {
    read(buffer, at, length, position) {
      const from = position ?? offset;
      const n = Math.max(0, Math.min(length, data.length - from));
      data.copy(buffer, at, from, from + n);
      if (position === undefined || position === null) offset += n;
      return n;
    },
    write: () => {
      throw new FsError('EINVAL', '', 'write');
    },
    stat,
    truncate: () => {
      throw new FsError('EINVAL', '', 'truncate');
    },
    close: () => {},
  };
}
