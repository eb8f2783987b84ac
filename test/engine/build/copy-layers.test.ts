/**
 * The build's fast paths leave the layers Docker's way would: a directory
 * COPY into a new directory (written straight into the writable layer) and
 * the commit that moves the layer's files instead of applying its tar. Also
 * ADD extraction keeping the tar's owners.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../../helpers/cli.js';
import { openEngine } from '../../../src/engine/engine.js';
import { engineParts } from '../../../src/engine/containers/wiring.js';
import type { ImageStore } from '../../../src/engine/images/index.js';

async function collect(stream: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** name, mode, uid, gid, size, mtime, typeflag of each entry. */
function headers(tar: Buffer): string[] {
  const out: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (s: number, e: number) => h.subarray(s, e).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 136).trim() || '0', 8);
    out.push([field(0, 100), field(100, 108), field(108, 116), field(116, 124), size, field(136, 148), field(156, 157)].join(' '));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('build layers', () => {
  let t: TempRoot;
  let images: ImageStore;
  beforeAll(async () => {
    ensureBuilt();
    t = new TempRoot('mydock-build-layers-');
    const ctx = path.join(t.dir, 'ctx');
    fs.mkdirSync(path.join(ctx, 'src', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(ctx, 'src', 'a.txt'), 'a\n');
    fs.writeFileSync(path.join(ctx, 'src', 'run.sh'), 'echo\n', { mode: 0o755 });
    fs.writeFileSync(path.join(ctx, 'src', 'deep', 'b.txt'), 'b\n');
    fs.symlinkSync('a.txt', path.join(ctx, 'src', 'link'));
    const old = new Date('2020-01-02T03:04:05.678Z');
    for (const p of ['src/a.txt', 'src/run.sh', 'src/deep/b.txt', 'src/deep', 'src']) fs.utimesSync(path.join(ctx, p), old, old);
    // Into a new directory (fast path), and into one the image has (/etc: entry by entry).
    fs.writeFileSync(
      path.join(ctx, 'Dockerfile'),
      'FROM alpine\nCOPY src /new/app\nCOPY src /etc/\nRUN rm /etc/hostname.x 2>/dev/null; rm -r /home && mkdir /home && rm /etc/motd\n',
    );
    const r = t.run(['build', '-t', 'bl/one:1', ctx]);
    expect(r.stderr).toBe('');
    const engine = await openEngine({ root: t.root });
    images = await engineParts(engine).imageStore();
  });
  afterAll(() => t.cleanup());

  it('a directory copied into a new directory has the entries, owners, modes and times of the copy through the container', async () => {
    const img = images.resolve('bl/one:1');
    const [copyNew, copyEtc] = images.layers.chain(img.topLayer!).slice(-3);
    const fast = headers(await collect(images.layers.exportLayer(copyNew!.chainId))).filter((h) => h.startsWith('new/app/') && !h.startsWith('new/app/ '));
    const slow = headers(await collect(images.layers.exportLayer(copyEtc!.chainId)))
      .filter((h) => /^etc\/(a\.txt|run\.sh|link|deep)/.test(h))
      .map((h) => h.replace(/^etc\//, 'new/app/'));
    // The symlink's time is when it was made; everything else must match exactly.
    const noLinkTime = (hs: string[]) => hs.map((h) => (h.endsWith(' 2') ? h.replace(/ \d+ 2$/, ' 2') : h));
    expect(noLinkTime(fast)).toEqual(noLinkTime(slow));
    expect(fast.find((h) => h.startsWith('new/app/run.sh '))).toContain(' 0100755 0000000 0000000 5 ');
  });

  it('a committed layer is its exported tar: DiffID, size, and the files as applying the tar leaves them', async () => {
    const img = images.resolve('bl/one:1');
    for (const layer of images.layers.chain(img.topLayer!).slice(-3)) {
      const tar = await collect(images.layers.exportLayer(layer.chainId));
      expect(`sha256:${createHash('sha256').update(tar).digest('hex')}`).toBe(layer.diffId);
      const view = images.layers.driver.view(layer.cacheId, { readOnly: true });
      for (const h of headers(tar)) {
        const [name, , , , , mtime, flag] = h.split(' ');
        if (name!.includes('.wh.')) continue;
        const st = view.lstat('/' + name!.replace(/\/$/, ''));
        expect(st, name).not.toBeNull();
        if (flag !== '2') expect(st!.mtimeMs, name).toBe(parseInt(mtime!, 8) * 1000);
      }
    }
    const run = images.layers.chain(img.topLayer!).at(-1)!;
    const names = headers(await collect(images.layers.exportLayer(run.chainId))).map((h) => h.split(' ')[0]);
    expect(names).toContain('etc/.wh.motd');
    expect(names).toContain('home/.wh..wh..opq');
  });

  it('ADD extracts a tar with the owners it records', async () => {
    const ctx = path.join(t.dir, 'add');
    fs.mkdirSync(ctx);
    const { createTar } = await import('./tar-fixture.js');
    fs.writeFileSync(path.join(ctx, 'files.tar'), createTar([{ name: 'x/', uid: 1000, gid: 1001 }, { name: 'x/f.txt', uid: 1000, gid: 1001, data: 'hi\n' }]));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM alpine\nADD files.tar /opt/\n');
    const r = t.run(['build', '-t', 'bl/add:1', ctx]);
    expect(r.stderr).toBe('');
    const engine = await openEngine({ root: t.root });
    const store = await engineParts(engine).imageStore();
    const img = store.resolve('bl/add:1');
    const hs = headers(await collect(store.layers.exportLayer(img.topLayer!)));
    expect(hs.find((h) => h.startsWith('opt/x/f.txt '))).toContain(' 0001750 0001751 3 ');
    expect(hs.find((h) => h.startsWith('opt/x/ '))).toContain(' 0001750 0001751 0 ');
  });
});
