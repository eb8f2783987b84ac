/**
 * Deterministic filler bytes for catalog layers. One 1 MiB pseudo-random
 * block is computed once; each file reads it from its own starting offset
 * (derived from its path), so files differ while generation only hands out
 * views of one buffer: hundreds of megabytes cost no allocation.
 */
import { createHash } from 'node:crypto';

const BLOCK_SIZE = 1 << 20;
let doubled: Buffer | null = null;

/** The block twice in a row, so any BLOCK_SIZE window from an offset is contiguous. */
function block(): Buffer {
  if (doubled) return doubled;
  const b = Buffer.alloc(BLOCK_SIZE * 2);
  let x = 0x2545f491;
  for (let i = 0; i < BLOCK_SIZE; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeInt32LE(x | 0, i);
  }
  b.copy(b, BLOCK_SIZE, 0, BLOCK_SIZE);
  doubled = b;
  return b;
}

/** `size` bytes of filler for `path`, in chunks of at most 1 MiB. */
export function* fillerChunks(path: string, size: number): Generator<Buffer> {
  const b = block();
  let offset = createHash('sha256').update(path).digest().readUInt32LE(0) % BLOCK_SIZE;
  let left = size;
  while (left > 0) {
    const n = Math.min(left, BLOCK_SIZE);
    yield b.subarray(offset, offset + n);
    left -= n;
    offset = (offset + n) % BLOCK_SIZE;
  }
}
