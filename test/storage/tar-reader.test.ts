import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import { encodeHeader, padding, TRAILER } from '../../src/storage/tar/header.js';
import { parseTar, type TarEntry } from '../../src/storage/tar/reader.js';

/** A file entry "a" preceded by a PAX header holding `records` ("key=value"). */
function paxTar(records: string[], typeflag: 'x' | 'g' = 'x'): Buffer {
  const recs = Buffer.concat(
    records.map((kv) => {
      const body = (len: number) => `${len} ${kv}\n`;
      let len = Buffer.byteLength(body(0));
      while (Buffer.byteLength(body(len)) !== len) len = Buffer.byteLength(body(len));
      return Buffer.from(body(len));
    }),
  );
  const hdr = (name: string, flag: '0' | 'x' | 'g', size: number) =>
    encodeHeader({ name, typeflag: flag, mode: 0o100644, uid: 0, gid: 0, size, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
  return Buffer.concat([hdr('PaxHeaders/a', typeflag, recs.length), recs, Buffer.alloc(padding(recs.length)), hdr('a', '0', 0), TRAILER]);
}

async function entries(bytes: Buffer): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  await parseTar(Readable.from([bytes]), { entry: (e) => void out.push(e), data: () => {}, endEntry: () => {}, trailer: () => {} });
  return out;
}

describe('tar reader: PAX records', () => {
  it('takes path and linkpath from PAX records', async () => {
    const [e] = await entries(paxTar(['path=dir/long name', 'linkpath=target']));
    expect(e?.name).toBe('dir/long name');
    expect(e?.linkname).toBe('target');
  });

  it.each([['path=a\0b'], ['linkpath=\0'], ['uname=x\0'], ['gname=\0y'], ['SCHILY.xattr.a\0b=v']])(
    'refuses a NUL byte where Go does (%j): "archive/tar: invalid tar header"',
    async (rec) => {
      for (const flag of ['x', 'g'] as const) {
        const err = await entries(paxTar([rec], flag)).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StorageError);
        expect((err as StorageError).code).toBe('INVALID_TAR');
        expect((err as StorageError).message).toBe('archive/tar: invalid tar header');
      }
    },
  );

  it('keeps a NUL byte in the value of another record (Go allows it)', async () => {
    const [e] = await entries(paxTar(['SCHILY.xattr.user.k=a\0b']));
    expect(e?.pax['SCHILY.xattr.user.k']).toBe('a\0b');
  });
});
