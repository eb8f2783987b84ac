/**
 * The archive engine on a real root: import, load (legacy, Docker 25+ and
 * plain OCI layouts, gzip, shared layers, DiffID checks, hostile archives),
 * save (both layouts) and round trips that keep the image ID.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/engine.js';
import { imageHistory } from '../../../src/engine/images/index.js';
import { gzip, hex, legacyArchive, ociArchive, rootfsTar, sha256, tar, testImage } from './tar-fixtures.js';

let dir: string;
let engine: Engine;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-archive-'));
  engine = await openEngine({ root: path.join(dir, 'root') });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stream = (b: Buffer) => Readable.from([b]);

async function collect(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

/** Members of a tar, by name, through the system tar. */
function members(archive: Buffer): Map<string, Buffer> {
  const d = fs.mkdtempSync(path.join(dir, 'x-'));
  const file = path.join(d, 'a.tar');
  fs.writeFileSync(file, archive);
  const out = new Map<string, Buffer>();
  const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const n of names) if (!n.endsWith('/')) out.set(n, execFileSync('tar', ['-xOf', file, n]));
  return out;
}

describe('import', () => {
  it('makes a one-layer image whose DiffID is the sha256 of the tar as given ("./" names kept)', async () => {
    const t = rootfsTar();
    const id = await engine.archive.import({ source: stream(t), repository: 'imp:1' });
    const store = await engine.imageStore();
    const img = store.resolve('imp:1');
    expect(img.id).toBe(id);
    expect(img.config.rootfs?.diff_ids).toEqual([sha256(t)]);
    expect(img.config.comment).toBe('Imported from -');
    expect(img.config.history).toEqual([{ created: img.config.created, comment: 'Imported from -' }]);
    expect(img.config.config?.Cmd ?? null).toBeNull();
    // Files and the symlink (its target's length) count, as in Docker.
    expect((await engine.layerStore()).get(sha256(t))?.size).toBe(6 + 10 + 4);
  });

  it('inflates gzip and computes the DiffID of the uncompressed stream', async () => {
    const t = rootfsTar();
    await engine.archive.import({ source: stream(gzip(t)), repository: 'imp:gz' });
    expect((await engine.imageStore()).resolve('imp:gz').config.rootfs?.diff_ids).toEqual([sha256(t)]);
  });

  it('applies --change and -m', async () => {
    await engine.archive.import({
      source: stream(rootfsTar()),
      repository: 'imp:2',
      message: 'from stdin',
      changes: ['CMD ["cat", "/a.txt"]', 'ENV X=1', 'WORKDIR /srv', 'EXPOSE 80 53/udp', 'LABEL a=b', 'USER nobody', 'VOLUME /data'],
    });
    const img = (await engine.imageStore()).resolve('imp:2');
    expect(img.config.comment).toBe('from stdin');
    expect(img.config.config).toMatchObject({
      Cmd: ['cat', '/a.txt'],
      Env: ['X=1'],
      WorkingDir: '/srv',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Labels: { a: 'b' },
      User: 'nobody',
      Volumes: { '/data': {} },
    });
  });

  it("refuses what Docker's --change refuses, and a stream that is not a tar", async () => {
    await expect(engine.archive.import({ source: stream(rootfsTar()), changes: ['RUN echo hi'] })).rejects.toThrow('run is not a valid change command');
    await expect(engine.archive.import({ source: stream(Buffer.from('not a tar\n')) })).rejects.toThrow(
      'Error processing tar file(exit status 1): unexpected EOF',
    );
  });
});

describe('load', () => {
  const base = tar([{ name: 'a.txt', body: 'base\n' }, { name: 'etc/', type: 'dir' }]);
  const top = tar([{ name: 'b.txt', body: 'top\n' }]);

  it('loads the legacy layout: same image ID, tags, "Loaded image" lines, no parent (history <missing>)', async () => {
    const img = testImage([base, top]);
    const lines: string[] = [];
    const r = await engine.archive.load(stream(legacyArchive(img, ['lg:1', 'lg:alias'])), { onLine: (l) => lines.push(l) });
    expect(r.imageIds).toEqual([img.id]);
    expect(lines).toEqual(['Loaded image: lg:1', 'Loaded image: lg:alias']);
    const store = await engine.imageStore();
    expect(store.resolve('lg:alias').id).toBe(img.id);
    expect(imageHistory(store, 'lg:1').map((h) => h.id)).toEqual([img.id, '<missing>']);
    expect(store.get(img.id)?.rawConfig.equals(img.config)).toBe(true);
  });

  it('stores a layer shared by two images once, and follows in-archive symlinks to a repeated layer', async () => {
    const a = testImage([base, top]);
    const b = testImage([base, top, top], ['sh']);
    await engine.archive.load(stream(legacyArchive(a, ['a:1'])));
    await engine.archive.load(stream(legacyArchive(b, ['b:1'])));
    const layers = await engine.layerStore();
    expect(layers.list()).toHaveLength(3);
  });

  it('says "Loaded image ID" for an untagged image, and the rename when a tag moves', async () => {
    const a = testImage([base]);
    const lines: string[] = [];
    await engine.archive.load(stream(legacyArchive(a, null)), { onLine: (l) => lines.push(l) });
    expect(lines).toEqual([`Loaded image ID: ${a.id}`]);
    await engine.archive.load(stream(legacyArchive(a, ['mv:1'])));
    const b = testImage([base], ['sh']);
    lines.length = 0;
    await engine.archive.load(stream(legacyArchive(b, ['mv:1'])), { onLine: (l) => lines.push(l) });
    expect(lines).toEqual([`The image mv:1 already exists, renaming the old one with ID ${a.id} to empty string`, 'Loaded image: mv:1']);
  });

  it('reads gzip archives and plain OCI layouts with gzip layer blobs', async () => {
    const img = testImage([base, top]);
    await engine.archive.load(stream(gzip(legacyArchive(img, ['gz:1']))));
    const oci = testImage([top], ['true']);
    const lines: string[] = [];
    await engine.archive.load(stream(ociArchive(oci, 'docker.io/library/oci:1')), { onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['Loaded image: oci:1']);
    expect((await engine.imageStore()).resolve('oci:1').id).toBe(oci.id);
  });

  it('refuses a layer whose bytes do not match its DiffID, and keeps nothing of it', async () => {
    const img = testImage([base, top]);
    const bad = legacyArchive(img, ['bad:1'], { layerTransform: (l) => (l === top ? tar([{ name: 'b.txt', body: 'evil\n' }]) : l) });
    const evil = sha256(tar([{ name: 'b.txt', body: 'evil\n' }]));
    await expect(engine.archive.load(stream(bad))).rejects.toThrow(`invalid diffID for layer 1: expected "${sha256(top)}", got "${evil}"`);
    const store = await engine.imageStore();
    expect(store.all()).toHaveLength(0);
    expect((await engine.layerStore()).list()).toHaveLength(0);
  });

  it('refuses what is not a tar', async () => {
    await expect(engine.archive.load(stream(Buffer.from('not a tar\n')))).rejects.toThrow('Error processing tar file(exit status 1): unexpected EOF');
  });
});

describe('hostile archives', () => {
  let canary: string;
  beforeEach(() => {
    canary = path.join(dir, 'canary');
    fs.mkdirSync(canary);
    fs.writeFileSync(path.join(canary, 'keep.txt'), 'keep');
  });
  const untouched = () => expect(fs.readdirSync(canary)).toEqual(['keep.txt']);

  it('refuses members that climb out of the archive', async () => {
    const rel = path.relative(path.join(dir, 'root', 'tmp', 'docker-import-xxxxxx'), path.join(canary, 'evil'));
    await expect(engine.archive.load(stream(tar([{ name: rel, body: 'x' }])))).rejects.toThrow(/outside of the archive/);
    untouched();
  });

  it('refuses members written through a symlink member', async () => {
    const archive = tar([
      { name: 'link', type: 'symlink', linkname: canary },
      { name: 'link/evil', body: 'x' },
    ]);
    await expect(engine.archive.load(stream(archive))).rejects.toThrow(/goes through the symlink/);
    untouched();
  });

  it('refuses a layer that climbs out, through the layer store', async () => {
    const layer = tar([{ name: '../../../../../../../../../../..' + canary + '/evil', body: 'x' }]);
    const img = testImage([layer]);
    await expect(engine.archive.load(stream(legacyArchive(img, ['esc:1'])))).rejects.toThrow(/Error processing tar file/);
    untouched();
    expect((await engine.layerStore()).list()).toHaveLength(0);
  });

  it('refuses a layer that writes through a symlink it made', async () => {
    const layer = tar([
      { name: 'etc', type: 'symlink', linkname: canary },
      { name: 'etc/evil', body: 'x' },
    ]);
    const img = testImage([layer]);
    await expect(engine.archive.load(stream(legacyArchive(img, ['esc:2'])))).rejects.toThrow(/Error processing tar file/);
    untouched();
  });
});

describe('save', () => {
  const base = tar([{ name: 'a.txt', body: 'base\n' }]);
  const top = tar([{ name: 'b.txt', body: 'top\n' }]);

  async function loaded(tags: string[] | null) {
    const img = testImage([base, top]);
    await engine.archive.load(stream(legacyArchive(img, tags)));
    return img;
  }

  it('writes the Docker 25+ layout: OCI index with names, blobs, manifest.json, repositories', async () => {
    const img = await loaded(['sv:1']);
    const m = members(await collect(await engine.archive.save(['sv:1'])));
    const names = [...m.keys()];
    expect(names).toHaveLength(8);
    for (const n of ['index.json', 'manifest.json', 'oci-layout', 'repositories', ...[img.id, sha256(base), sha256(top)].map((d) => `blobs/sha256/${hex(d)}`)]) {
      expect(names).toContain(n);
    }
    expect(m.get(`blobs/sha256/${hex(sha256(top))}`)!.equals(top)).toBe(true);
    expect(m.get('manifest.json')!.toString()).toBe(
      `[{"Config":"blobs/sha256/${hex(img.id)}","RepoTags":["sv:1"],"Layers":["blobs/sha256/${hex(sha256(base))}","blobs/sha256/${hex(sha256(top))}"]}]\n`,
    );
    expect(m.get('repositories')!.toString()).toBe(`{"sv":{"1":"${hex(sha256(top))}"}}\n`);
    expect(m.get('oci-layout')!.toString()).toBe('{"imageLayoutVersion": "1.0.0"}');
    const index = JSON.parse(m.get('index.json')!.toString()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests[0]!.annotations).toEqual({ 'io.containerd.image.name': 'docker.io/library/sv:1', 'org.opencontainers.image.ref.name': '1' });
    const manifest = JSON.parse(m.get(`blobs/sha256/${hex(index.manifests[0]!.digest)}`)!.toString()) as { config: { digest: string }; layers: { digest: string }[] };
    expect(manifest.config.digest).toBe(img.id);
    expect(manifest.layers.map((l) => l.digest)).toEqual([sha256(base), sha256(top)]);
  });

  it('writes the legacy layout on request', async () => {
    const img = await loaded(['sv:1']);
    const m = members(await collect(await engine.archive.save(['sv:1'], { format: 'legacy' })));
    const names = [...m.keys()].map((n) => n.replace(/[0-9a-f]{64}/g, 'H')).sort();
    expect(names).toEqual(['H.json', 'H/VERSION', 'H/VERSION', 'H/json', 'H/json', 'H/layer.tar', 'H/layer.tar', 'manifest.json', 'repositories']);
    expect(m.get(`${hex(img.id)}.json`)!.equals(img.config)).toBe(true);
  });

  it('round trip: save, remove, load gives the same ID; by ID the tags are null', async () => {
    const img = await loaded(['rt:1']);
    const archive = await collect(await engine.archive.save(['rt:1']));
    const byId = await collect(await engine.archive.save([img.id]));
    expect(JSON.parse(members(byId).get('manifest.json')!.toString())[0].RepoTags).toBeNull();
    const store = await engine.imageStore();
    const { deleteImage } = await import('../../../src/engine/images/index.js');
    await deleteImage(store, 'rt:1', {});
    expect(store.all()).toHaveLength(0);
    const lines: string[] = [];
    await engine.archive.load(stream(archive), { onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['Loaded image: rt:1']);
    expect(store.resolve('rt:1').id).toBe(img.id);
    lines.length = 0;
    await engine.archive.load(stream(byId), { onLine: (l) => lines.push(l) });
    expect(lines).toEqual([`Loaded image ID: ${img.id}`]);
  });

  it("fails with Docker's texts before writing anything", async () => {
    await expect(engine.archive.save(['nosuch:1'])).rejects.toThrow('reference does not exist');
    await expect(engine.archive.save(['nosuch'])).rejects.toThrow('No such image: nosuch');
  });
});
