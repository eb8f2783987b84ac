/**
 * Errors of the storage layer that are not plain filesystem errors (those are
 * `FsError`, backend.ts). The engine maps them to Docker's messages; the codes
 * are stable for tests and programs.
 */
import { FsError, type FsErrorCode } from './backend.js';

export type StorageErrorCode =
  /** A tar entry, or a link target, would land outside the layer. */
  | 'BREAKOUT'
  /** The tar stream is malformed. */
  | 'INVALID_TAR'
  | 'LAYER_NOT_FOUND'
  | 'LAYER_EXISTS'
  /** The operation needs an active layer, and the layer is frozen. */
  | 'LAYER_FROZEN'
  /** The operation needs a frozen layer (a parent), and the layer is active. */
  | 'LAYER_ACTIVE'
  /** On-disk data does not match what was recorded (a changed layer body, a bad record). */
  | 'CORRUPT';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly data: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Docker's wording for the breakout case (pkg/archive breakoutError). */
export function breakout(entry: string, detail: string): StorageError {
  return new StorageError('BREAKOUT', `${JSON.stringify(entry)} ${detail}`, { entry });
}

const NODE_CODES: ReadonlySet<string> = new Set<FsErrorCode>([
  'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY', 'EROFS', 'EACCES', 'EPERM', 'ELOOP',
  'EXDEV', 'ENOSPC', 'EINVAL', 'EBUSY', 'ENAMETOOLONG', 'EMLINK',
]);

/**
 * Turns a Node fs error into an `FsError` naming the backend path (never the
 * host path, which callers must not learn). Errors we do not know are rethrown.
 */
export function toFsError(err: unknown, path: string, syscall: string): FsError {
  if (err instanceof FsError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') {
    if (NODE_CODES.has(code)) return new FsError(code as FsErrorCode, path, syscall);
    if (code === 'EDQUOT' || code === 'EFBIG') return new FsError('ENOSPC', path, syscall);
    if (code === 'ENOTSUP' || code === 'EOPNOTSUPP') return new FsError('EPERM', path, syscall);
  }
  throw err;
}
