/**
 * Allocated size in 1K blocks, as ls -s, du and df count it from st_blocks.
 *
 * FsStat has no st_blocks (layers store content, not allocation), so this
 * approximates what ext4/overlayfs report on a 4K-block filesystem: a
 * regular file takes whole 4K blocks (ceil(size/4096)*4 KiB), a directory one
 * block (4), a symlink, device or fifo none. Sparse files do not exist here.
 */
import type { FsStat } from '../../../storage/backend.js';

export function kbBlocks(st: Pick<FsStat, 'type' | 'size'>): number {
  if (st.type === 'file') return Math.ceil(st.size / 4096) * 4;
  if (st.type === 'dir') return 4;
  return 0;
}
