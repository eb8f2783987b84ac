/**
 * Failures while unpacking `load` and `import` archives come out as Docker
 * frames them ("Error processing tar file(exit status 1): <Go's reason>"),
 * typed, naming archive paths (never the root's), and leave nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/engine.js';
import { MydockError } from '../../../src/engine/errors.js';
import { encodeHeader, padding, TRAILER } from '../../../src/storage/tar/header.js';
import { legacyArchive, sha256, tar, testImage } from './tar-fixtures.js';

let dir: string;
let engine: Engine;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-archive-errors-'));
  engine = await openEngine({ root: path.join(dir, 'root') });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stream = (b: Buffer) => Readable.from([b]);
const FRAME = 'Error processing tar file(exit status 1): ';

async function failure(p: Promise<unknown>): Promise<MydockError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MydockError);
  return err as MydockError;
}

/** Nothing half-made: no layer, no image, an empty temporary directory. */
async function expectClean(): Promise<void> {
  expect((await engine.layerStore()).list()).toEqual([]);
  expect((await engine.imageStore()).all()).toEqual([]);
  const tmp = path.join(dir, 'root', 'tmp');
  expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
}

/** A file entry whose PAX record sets `key` to `value`. */
function paxTar(key: string, value: string): Buffer {
  const body = (len: number) => `${len} ${key}=${value}\n`;
  let len = Buffer.byteLength(body(0));
  while (Buffer.byteLength(body(len)) !== len) len = Buffer.byteLength(body(len));
  const rec = Buffer.from(body(len));
  const hdr = (name: string, typeflag: '0' | 'x', size: number) =>
    encodeHeader({ name, typeflag, mode: 0o100644, uid: 0, gid: 0, size, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
  return Buffer.concat([hdr('PaxHeaders/a', 'x', rec.length), rec, Buffer.alloc(padding(rec.length)), hdr('a', '0', 0), TRAILER]);
}

describe('load and import: filesystem refusals are framed', () => {
  it('import: a symlink with an empty target reads as Go\'s *LinkError', async () => {
    const err = await failure(engine.archive.import({ source: stream(tar([{ name: 'etc/', type: 'dir' }, { name: 'etc/passwd', type: 'symlink', linkname: '' }])) }));
    expect(err.message).toBe(`${FRAME}symlink  /etc/passwd: no such file or directory`);
    await expectClean();
  });

  it('import: a file entry named "/"', async () => {
    const err = await failure(engine.archive.import({ source: stream(tar([{ name: '/', type: 'file', body: 'x' }])) }));
    expect(err.message.startsWith(FRAME)).toBe(true);
    expect(err.message).toMatch(/: is a directory$/);
    await expectClean();
  });

  it('load: a hard link to the archive root', async () => {
    const err = await failure(engine.archive.load(stream(tar([{ name: 'x', type: 'hardlink', linkname: '/' }]))));
    expect(err.message).toBe(`${FRAME}link / /x: operation not permitted`);
    expect(err.message).not.toContain(dir);
    await expectClean();
  });

  it('load and import: a PAX path with a NUL byte is an invalid header', async () => {
    for (const key of ['path', 'linkpath']) {
      const bad = paxTar(key, 'a\0b');
      const load = await failure(engine.archive.load(stream(bad)));
      expect(load.message).toBe(`${FRAME}archive/tar: invalid tar header`);
      const imp = await failure(engine.archive.import({ source: stream(bad) }));
      expect(imp.message).toBe(`${FRAME}archive/tar: invalid tar header`);
    }
    await expectClean();
  });

  it('load: a malformed DiffID ("rha256:…") fails the content check', async () => {
    const layer = tar([{ name: 'a.txt', body: 'hello\n' }]);
    const img = testImage([layer]);
    const config = JSON.parse(img.config.toString()) as { rootfs: { diff_ids: string[] } };
    const bad = 'r' + sha256(layer).slice(1);
    config.rootfs.diff_ids = [bad];
    const bytes = Buffer.from(JSON.stringify(config));
    const err = await failure(engine.archive.load(stream(legacyArchive({ config: bytes, id: sha256(bytes), layers: [layer] }, ['bad:1']))));
    expect(err.message).toBe(`invalid diffID for layer 0: expected "${bad}", got "${sha256(layer)}"`);
    await expectClean();
  });
});
