/**
 * The reason Go's tar reader (behind Docker's chrootarchive) gives for a
 * stream mydock's tar reader refused, so the framed message reads as
 * Docker's: a short or cut stream is "unexpected EOF".
 */
import { StorageError } from '../../storage/errors.js';

export function goTarReason(err: StorageError): string {
  if (err.code === 'INVALID_TAR' && /unexpected EOF/.test(err.message)) return 'unexpected EOF';
  return err.message;
}

/** Runs `fn`, turning the storage layer's tar refusals into `frame(reason)`. */
export async function withTarErrors<T>(fn: () => Promise<T>, frame: (reason: string) => Error): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StorageError && (err.code === 'INVALID_TAR' || err.code === 'BREAKOUT')) throw frame(goTarReason(err));
    // zlib's errors for a corrupt gzip stream.
    if (err instanceof Error && (err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw frame(err.message);
    throw err;
  }
}
