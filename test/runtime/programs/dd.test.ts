import { describe, expect, it } from 'vitest';
import { FsError, type FileHandle, type OpenFlags } from '../../../src/storage/backend.js';
import { baseFs, run } from './helpers/run.js';

/**
 * A filesystem whose files hold at most `limit` bytes in all, as a small
 * tmpfs: a write that does not fit is cut short, the next fails with ENOSPC.
 */
function fullFs(limit: number) {
  const fs = baseFs();
  fs.put('/src', Buffer.alloc(300_000, 0x61));
  let used = 0;
  const open = fs.open.bind(fs);
  fs.open = (path: string, flags: OpenFlags): FileHandle => {
    const h = open(path, flags);
    if (!flags.write) return h;
    return {
      ...h,
      write(buffer, offset = 0, length = buffer.byteLength - offset, position) {
        const room = limit - used;
        if (room <= 0) throw new FsError('ENOSPC', path, 'write');
        const n = Math.min(room, length);
        used += n;
        return h.write(buffer, offset, n, position);
      },
    } as FileHandle;
  };
  return fs;
}

describe('dd on a full filesystem', () => {
  // Each expectation is Debian busybox's dd on a 64k tmpfs.
  it.each([
    [['bs=1k', 'count=200'], '65+0 records in\n64+0 records out\n'],
    [['bs=3000', 'count=200'], '22+0 records in\n21+0 records out\n'],
    [['bs=100k', 'count=1'], '1+0 records in\n0+0 records out\n'],
  ])('dd %j: "error writing", the records that made it, status 1', async (args, summary) => {
    const r = await run(['dd', 'if=/src', 'of=/big', ...args], { fs: fullFs(65536) });
    expect(r.stderr).toBe(`dd: error writing '/big': No space left on device\n${summary}`);
    expect(r.status).toBe(1);
  });

  it('status=none leaves only the error', async () => {
    const r = await run(['dd', 'if=/src', 'of=/big', 'bs=1k', 'status=none'], { fs: fullFs(1000) });
    expect(r.stderr).toBe("dd: error writing '/big': No space left on device\n");
    expect(r.status).toBe(1);
  });

  it('a copy that fits is unchanged', async () => {
    const r = await run(['dd', 'if=/src', 'of=/big', 'bs=1k', 'count=3'], { fs: fullFs(65536) });
    expect(r.stderr).toBe('3+0 records in\n3+0 records out\n');
    expect(r.status).toBe(0);
  });
});
