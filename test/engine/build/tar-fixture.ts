/** A small ustar writer for test archives with chosen owners. */
export interface FixtureEntry {
  /** Ends with "/" for a directory. */
  name: string;
  uid?: number;
  gid?: number;
  data?: string;
}

export function createTar(entries: readonly FixtureEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const dir = e.name.endsWith('/');
    const body = Buffer.from(e.data ?? '');
    const h = Buffer.alloc(512);
    const put = (s: string, off: number, len: number) => h.write(s.slice(0, len), off, 'latin1');
    const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
    put(e.name, 0, 100);
    put(oct(dir ? 0o755 : 0o644, 8), 100, 8);
    put(oct(e.uid ?? 0, 8), 108, 8);
    put(oct(e.gid ?? 0, 8), 116, 8);
    put(oct(body.length, 12), 124, 12);
    put(oct(1577934245, 12), 136, 12);
    put('        ', 148, 8);
    put(dir ? '5' : '0', 156, 1);
    put('ustar\x0000', 257, 8);
    let sum = 0;
    for (const b of h) sum += b;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
