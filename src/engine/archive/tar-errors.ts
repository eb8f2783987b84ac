/**
 * The reason Go's tar reader (behind Docker's chrootarchive) gives for a
 * stream mydock's tar reader refused, so the framed message reads as
 * Docker's: a short or cut stream is "unexpected EOF". A filesystem refusal
 * while unpacking reads as Go's *PathError / *LinkError ("symlink  /x: no
 * such file or directory").
 */
import { FsError, FS_ERROR_TEXT, type FsErrorCode } from '../../storage/backend.js';
import { StorageError } from '../../storage/errors.js';
import { LinkFsError } from '../../storage/tar/apply.js';

export function goTarReason(err: StorageError): string {
  if (err.code === 'INVALID_TAR' && /unexpected EOF/.test(err.message)) return 'unexpected EOF';
  return err.message;
}

/** Go's errno text: the C library's, lower-cased ("no such file or directory"). */
export function goErrnoText(code: string, fallback: string): string {
  const text = (FS_ERROR_TEXT as Record<string, string | undefined>)[code as FsErrorCode];
  return (text ?? fallback).toLowerCase();
}

/** Go's text for a filesystem refusal: "op path: reason", "op old new: reason" for links. */
export function goFsReason(err: FsError): string {
  const op = err.syscall || 'open';
  if (err instanceof LinkFsError) return `${op} ${err.oldname} ${err.path}: ${err.text.toLowerCase()}`;
  return `${op} ${err.path}: ${err.text.toLowerCase()}`;
}

/** Runs `fn`, turning the storage layer's refusals into `frame(reason)`. */
export async function withTarErrors<T>(fn: () => Promise<T>, frame: (reason: string) => Error): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw tarFailure(err, frame);
  }
}

/** The framed error for a failure while reading or applying an archive; other errors unchanged. */
export function tarFailure(err: unknown, frame: (reason: string) => Error): unknown {
  if (err instanceof StorageError) return frame(goTarReason(err));
  if (err instanceof FsError) return frame(goFsReason(err));
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    // zlib's errors for a corrupt gzip stream.
    if (code?.startsWith('Z_')) return frame(err.message);
  }
  return err;
}
