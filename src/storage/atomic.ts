/**
 * Crash-safe writes for the storage layer. Record files use the state
 * layer's atomic write (temp file, fsync, rename, directory fsync, temp file
 * removed on failure): one implementation for every record mydock keeps.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export { writeFileAtomic } from '../state/atomic.js';

/** A unique sibling name for building a directory before renaming it into place. */
export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.tmp-${path.basename(target)}-${randomBytes(6).toString('hex')}`);
}
