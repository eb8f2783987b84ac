/**
 * Where mydock keeps what Docker keeps in memory (tmpfs mounts and tmpfs
 * volumes): under /dev/shm, which is itself a tmpfs, so the bytes really are
 * in memory and vanish with the machine; elsewhere under the root.
 * One directory per root, so two roots never see each other's tmpfs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function memoryDir(root: string): string {
  const tag = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12);
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    if (fs.statSync('/dev/shm').isDirectory()) return path.join('/dev/shm', `mydock-${tag}`);
  } catch {
    // No writable /dev/shm: fall back to the root.
  }
  return path.join(root, 'tmp', 'shm');
}
