/**
 * How a process's own streams reach the filesystem: /dev/stdin, /dev/stdout,
 * /dev/stderr (symlinks to /proc/self/fd/0..2) and /dev/tty.
 *
 * The hook: whoever starts a program (the shell, `docker exec`) passes the
 * program's fds as `FileHandle`s in `ContainerFs.forProcess(cwd, { stdio })`.
 * Opening /proc/self/fd/N (hence /dev/stdout ...) returns a *dup* of that
 * handle: reads and writes go to it, and closing the dup leaves the
 * process's fd open, as close(2) on a dup does. A missing fd is ENOENT, as
 * for a closed fd in Linux.
 *
 * The runtime's streams are asynchronous and `FileHandle` is synchronous, so
 * the adapters below queue writes in order (`outputStreamHandle`) and serve
 * stdin from bytes the caller already holds (`bufferedInputHandle`, e.g. a
 * pipe's or here-document's content).
 */
import { FsError, type FileHandle, type FsBackend, type FsStat } from '../../storage/backend.js';
import type { OutputStream } from '../process.js';
import type { Mount } from './mount-table.js';
import type { FsUser } from './permissions.js';

export interface StdioHandles {
  /** fd 0 */
  stdin?: FileHandle;
  /** fd 1 */
  stdout?: FileHandle;
  /** fd 2 */
  stderr?: FileHandle;
  /** The controlling terminal, when the container has one (`-t`): /dev/tty and /dev/console. */
  tty?: FileHandle;
}

/** What the per-process parts of /proc and /dev need to know about the process looking at them. */
export interface ProcessIdentity {
  pid: number;
  argv: readonly string[];
  user: FsUser;
  stdio: StdioHandles;
  /** The mounts as this process sees them, for /proc/self/mounts. */
  mounts: () => readonly Mount[];
}

/** A backend with per-process content (/proc/self, /dev/tty): the process view asks it for a bound copy. */
export interface ProcessBound {
  forProcess(process: ProcessIdentity): FsBackend;
}

export function isProcessBound(backend: FsBackend): backend is FsBackend & ProcessBound {
  return typeof (backend as Partial<ProcessBound>).forProcess === 'function';
}

/** A handle sharing `inner`'s file whose close() does not close `inner` (dup(2)). */
export function dupHandle(inner: FileHandle): FileHandle {
  let closed = false;
  const live = (): FileHandle => {
    // EINVAL stands for EBADF, which FsErrorCode does not have.
    if (closed) throw new FsError('EINVAL', '', 'fd');
    return inner;
  };
  return {
    read: (b, o, l, p) => live().read(b, o, l, p),
    write: (b, o, l, p) => live().write(b, o, l, p),
    stat: () => live().stat(),
    truncate: (n) => live().truncate(n),
    close: () => {
      closed = true;
    },
  };
}

function streamStat(): FsStat {
  const now = Date.now();
  return { type: 'fifo', mode: 0o600, uid: 0, gid: 0, size: 0, nlink: 1, ino: 0, atimeMs: now, mtimeMs: now, ctimeMs: now };
}

/**
 * A write-only handle onto an async output stream. Writes are started in
 * call order and not awaited; `settled()` resolves when all have been taken
 * (the shell awaits it before the program's exit is reported), and rejects
 * with the first error (a broken pipe).
 */
export function outputStreamHandle(stream: OutputStream): FileHandle & { settled(): Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  return {
    read: () => {
      throw new FsError('EINVAL', '', 'read');
    },
    write(buffer, offset = 0, length = buffer.length - offset) {
      const chunk = Buffer.from(buffer.subarray(offset, offset + length));
      // Caught at once so a broken pipe is never an unhandled rejection; settled() reports it.
      const done = stream.write(chunk).catch((error: unknown) => {
        failure ??= { error };
      });
      pending = pending.then(() => done);
      return length;
    },
    stat: streamStat,
    truncate: () => {
      throw new FsError('EINVAL', '', 'truncate');
    },
    close: () => {},
    settled: () =>
      pending.then(() => {
        if (failure) throw failure.error;
      }),
  };
}

/** A read-only handle serving bytes the caller already has (stdin from a pipe or here-document). */
export function bufferedInputHandle(data: Uint8Array): FileHandle {
  let offset = 0;
  return {
    read(buffer, at, length, position) {
      const from = position ?? offset;
      const n = Math.max(0, Math.min(length, data.length - from));
      buffer.set(data.subarray(from, from + n), at);
      if (position === undefined || position === null) offset += n;
      return n;
    },
    write: () => {
      throw new FsError('EINVAL', '', 'write');
    },
    stat: () => ({ ...streamStat(), size: data.length }),
    truncate: () => {
      throw new FsError('EINVAL', '', 'truncate');
    },
    close: () => {},
  };
}
