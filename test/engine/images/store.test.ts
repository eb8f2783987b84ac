import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarChunks, type TarEntry } from '../../../src/engine/catalog/tar.js';
import {
  ImageStore,
  deleteImage,
  imageHistory,
  inspectImage,
  listImages,
  pruneImages,
  type ImageConfig,
  type ImageUsage,
  type Image,
} from '../../../src/engine/images/index.js';
import { FakeLayerStore } from './fake-layer-store.js';

function tarOf(files: Record<string, number | string>): Buffer {
  const entries: TarEntry[] = Object.entries(files).map(([p, c]) => {
    const data = typeof c === 'number' ? Buffer.alloc(c, 7) : Buffer.from(c);
    return { path: p, type: 'file', mode: 0o644, size: data.length, content: () => [data], mtime: 0 };
  });
  return Buffer.concat([...tarChunks(entries)]);
}

let root: string;
let layers: FakeLayerStore;
let store: ImageStore;
let containers: Array<{ id: string; image: string; running: boolean; top: string | null }>;
let tick = 0;

const usage: ImageUsage = {
  isImageUsed: (id) => ({
    running: containers.filter((c) => c.image === id && c.running).map((c) => c.id),
    stopped: containers.filter((c) => c.image === id && !c.running).map((c) => c.id),
  }),
  layersInUse: () => containers.map((c) => c.top).filter((t): t is string => t !== null),
};

function time(): string {
  tick++;
  return `2026-01-01T00:00:${String(tick).padStart(2, '0')}.123456789Z`;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-images-'));
  layers = new FakeLayerStore();
  containers = [];
  tick = 0;
  store = new ImageStore({ imageDir: path.join(root, 'image', 'overlay2'), layers, usage });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** One legacy-builder step: a new image on `parent`, with or without a layer. */
async function step(parent: Image | null, createdBy: string, files: Record<string, number | string> | null, cmd?: string[]) {
  const base: ImageConfig = parent
    ? (JSON.parse(JSON.stringify(parent.config)) as ImageConfig)
    : { created: '', architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history: [], config: {} };
  const created = time();
  base.created = created;
  base.history = [...(base.history ?? []), { created, created_by: createdBy, ...(files ? {} : { empty_layer: true }) }];
  if (files) {
    const top = parent?.topLayer ?? null;
    const layer = layers.registerBytes(tarOf(files), top);
    base.rootfs = { type: 'layers', diff_ids: [...(base.rootfs?.diff_ids ?? []), layer.diffId] };
  }
  if (cmd) base.config = { ...base.config, Cmd: cmd };
  return store.createFromConfig(base, { parent: parent?.id ?? null });
}

async function imported(): Promise<Image> {
  const layer = layers.registerBytes(tarOf({ 'bin/busybox': 1982426 }), null);
  const img = await store.createFromConfig({
    created: time(),
    architecture: 'amd64',
    os: 'linux',
    comment: 'Imported from -',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: '2026-01-01T00:00:00Z', comment: 'Imported from -' }],
  });
  await store.tag(img.id, 'bbase:1');
  return img;
}

function lines(records: Awaited<ReturnType<typeof deleteImage>>): string[] {
  return records.map((r) => ('untagged' in r ? `Untagged: ${r.untagged}` : `Deleted: ${r.deleted}`));
}

describe('the two-Dockerfile walkthrough (01-layers)', () => {
  it('sizes, history, list and rmi of the parent chain', async () => {
    const bbase = await imported();
    const a1 = await step(bbase, '/bin/sh -c mkdir -p /usr/share/orc && head -c …', { 'usr/share/orc/payload': 2_000_000 });
    await store.tag(a1.id, 'orc_a_base:1.0');
    const f1 = await step(a1, '/bin/sh -c #(nop) COPY dir:abc in /app ', { 'app/Dockerfile': 100, 'app/Dockerfile.base': 133, 'app/hello.sh': 29 });
    const f2 = await step(f1, '/bin/sh -c chmod +x /app/hello.sh', { 'app/hello.sh': 29 });
    const f3 = await step(f2, '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "/app/hello.sh"]', null, ['/bin/sh', '-c', '/app/hello.sh']);
    await store.tag(f3.id, 'orc_a_final:1.0');

    expect(store.size(bbase)).toBe(1982426);
    expect(store.size(store.resolve('orc_a_base:1.0'))).toBe(3982426);
    expect(store.size(store.resolve('orc_a_final:1.0'))).toBe(3982717);

    const listed = listImages(store, { filters: { reference: ['orc_a_*', 'bbase'] } });
    expect(listed.map((i) => [i.repoTags, i.size])).toEqual([
      [['orc_a_final:1.0'], 3982717],
      [['orc_a_base:1.0'], 3982426],
      [['bbase:1'], 1982426],
    ]);
    // Intermediate images are hidden, shown with -a.
    expect(listImages(store).length).toBe(3);
    expect(listImages(store, { all: true }).length).toBe(5);

    const hist = imageHistory(store, 'orc_a_final:1.0');
    expect(hist.map((h) => [h.id, h.size, h.comment])).toEqual([
      [f3.id, 0, ''],
      [f2.id, 29, ''],
      [f1.id, 262, ''],
      [a1.id, 2_000_000, ''],
      [bbase.id, 1982426, 'Imported from -'],
    ]);
    expect(hist[0]!.tags).toEqual(['orc_a_final:1.0']);

    const out = lines(await deleteImage(store, 'orc_a_final:1.0'));
    expect(out).toEqual([
      'Untagged: orc_a_final:1.0',
      `Deleted: ${f3.id}`,
      `Deleted: ${f2.id}`,
      `Deleted: ${f2.topLayer}`,
      `Deleted: ${f1.id}`,
      `Deleted: ${f1.topLayer}`,
    ]);
    expect(lines(await deleteImage(store, 'orc_a_base:1.0'))).toEqual([
      'Untagged: orc_a_base:1.0',
      `Deleted: ${a1.id}`,
      `Deleted: ${a1.topLayer}`,
    ]);
    expect(store.size(store.resolve('bbase:1'))).toBe(1982426);
  });
});

describe('rmi conflicts (12-errors)', () => {
  it('refuses the only tag of an image a container uses, untags a second tag, forces past a stopped container', async () => {
    const bbase = await imported();
    const img = await step(bbase, '/bin/sh -c printf v1 > /version', { version: 'v1' });
    await store.tag(img.id, 'orc_l_img:1');
    containers.push({ id: 'c'.repeat(64), image: img.id, running: false, top: img.topLayer });

    await expect(deleteImage(store, 'orc_l_img:1')).rejects.toThrow(
      `conflict: unable to remove repository reference "orc_l_img:1" (must force) - container cccccccccccc is using its referenced image ${img.id.slice(7, 19)}`,
    );
    await store.tag('orc_l_img:1', 'orc_l_img:2');
    expect(lines(await deleteImage(store, 'orc_l_img:2'))).toEqual(['Untagged: orc_l_img:2']);
    // Forced: the record goes, the layer stays for the container.
    expect(lines(await deleteImage(store, 'orc_l_img:1', { force: true }))).toEqual([
      'Untagged: orc_l_img:1',
      `Deleted: ${img.id}`,
    ]);
    expect(layers.get(img.topLayer!)).not.toBeNull();
    expect(await store.releaseChain(img.topLayer!)).toEqual([]);
    containers = [];
    expect(await store.releaseChain(img.topLayer!)).toEqual([img.topLayer]);
    expect(await store.releaseUnusedLayers()).toEqual([]);
  });

  it('rmi -f of an image a running container uses only untags it', async () => {
    const bbase = await imported();
    const img = await step(bbase, '/bin/sh -c printf v1 > /version', { version: 'v1' });
    await store.tag(img.id, 'orc_l_img:1');
    containers.push({ id: 'd'.repeat(64), image: img.id, running: true, top: img.topLayer });
    expect(lines(await deleteImage(store, 'orc_l_img:1', { force: true }))).toEqual(['Untagged: orc_l_img:1']);
    expect(store.resolve(img.id).id).toBe(img.id);
    expect(listImages(store, { filters: { dangling: true } }).map((i) => i.id)).toEqual([img.id]);
    await expect(deleteImage(store, img.id)).rejects.toThrow(
      `conflict: unable to delete ${img.id.slice(7, 19)} (cannot be forced) - image is being used by running container dddddddddddd`,
    );
    containers = [];
    await expect(deleteImage(store, 'orc_l_img:1')).rejects.toThrow('No such image: orc_l_img:1');
    expect(lines(await deleteImage(store, img.id))).toEqual([`Deleted: ${img.id}`, `Deleted: ${img.topLayer}`]);
  });

  it('parents with children, and images in several repositories', async () => {
    const bbase = await imported();
    const child = await step(bbase, 'x', { x: 'x' });
    await expect(deleteImage(store, bbase.id.slice(7, 11))).rejects.toThrow(
      `conflict: unable to delete ${bbase.id.slice(7, 19)} (cannot be forced) - image has dependent child images`,
    );
    await store.tag(child.id, 'one:1');
    await store.tag(child.id, 'two:1');
    await expect(deleteImage(store, child.id)).rejects.toThrow(
      `conflict: unable to delete ${child.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    );
    expect(lines(await deleteImage(store, child.id, { force: true }))).toEqual([
      'Untagged: one:1',
      'Untagged: two:1',
      `Deleted: ${child.id}`,
      `Deleted: ${child.topLayer}`,
    ]);
  });
});

describe('lookups and errors', () => {
  it('finds the same ID without reading the image as resolve does by reading it', async () => {
    const bbase = await imported();
    for (const name of ['bbase:1', 'docker.io/library/bbase:1', bbase.id, bbase.id.slice(7), bbase.id.slice(7, 19)]) {
      expect(store.resolveId(name)).toBe(store.resolve(name).id);
    }
    expect(store.resolveId('bbase')).toBeNull();
    expect(store.resolveId('bbase@sha256:' + '0'.repeat(64))).toBeNull();
    expect(() => store.resolveId('Orc_Up')).toThrow('invalid reference format: repository name must be lowercase');
  });

  it('resolves names, IDs and prefixes with Docker texts', async () => {
    const bbase = await imported();
    expect(store.resolve('bbase:1').id).toBe(bbase.id);
    expect(store.resolve('docker.io/library/bbase:1').id).toBe(bbase.id);
    expect(store.resolve(bbase.id.slice(7)).id).toBe(bbase.id);
    expect(store.resolve(bbase.id.slice(0, 12)).id).toBe(bbase.id);
    expect(() => store.resolve('bbase')).toThrow('No such image: bbase:latest');
    expect(() => store.resolve('docker.io/bbase:2')).toThrow('No such image: bbase:2');
    expect(() => store.resolve('Orc_Up')).toThrow('invalid reference format: repository name must be lowercase');
    expect(() => inspectImage(store, 'orc_l_nosuch:1')).toThrow(
      'no such image: orc_l_nosuch:1: No such image: orc_l_nosuch:1',
    );
    expect(() => inspectImage(store, 'Orc_L_Upper')).toThrow(
      'no such image: Orc_L_Upper: invalid reference format: repository name must be lowercase',
    );
    await expect(store.tag('bbase:1', 'orc_l_Bad:1')).rejects.toThrow(
      'Error parsing reference: "orc_l_Bad:1" is not a valid repository/tag: invalid reference format: repository name (library/orc_l_Bad) must be lowercase',
    );
    await expect(store.tag('bbase:1', `x@sha256:${'a'.repeat(64)}`)).rejects.toThrow(
      'refusing to create a tag with a digest reference',
    );
  });

  it('writes repositories.json and metadata as Docker lays them out', async () => {
    const bbase = await imported();
    const child = await step(bbase, 'x', { x: 'x' });
    await store.tag(child.id, 'acme/my-base-image:1.0');
    store.addReference(
      { kind: 'named', domain: 'docker.io', path: 'acme/my-base-image', tag: null, digest: `sha256:${'b'.repeat(64)}` },
      child.id,
    );
    const dir = path.join(root, 'image', 'overlay2');
    expect(fs.readFileSync(path.join(dir, 'repositories.json'), 'utf8')).toBe(
      `{"Repositories":{"acme/my-base-image":{"acme/my-base-image:1.0":"${child.id}","acme/my-base-image@sha256:${'b'.repeat(64)}":"${child.id}"},"bbase":{"bbase:1":"${bbase.id}"}}}`,
    );
    const meta = path.join(dir, 'imagedb', 'metadata', 'sha256', child.id.slice(7));
    expect(fs.readFileSync(path.join(meta, 'parent'), 'utf8')).toBe(bbase.id);
    expect(fs.readFileSync(path.join(meta, 'lastUpdated'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const content = fs.readFileSync(path.join(dir, 'imagedb', 'content', 'sha256', child.id.slice(7)));
    expect(content.equals(child.rawConfig)).toBe(true);

    const info = inspectImage(store, 'acme/my-base-image:1.0');
    expect(Object.keys(info)).toEqual([
      'Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Container', 'ContainerConfig',
      'DockerVersion', 'Author', 'Config', 'Architecture', 'Os', 'Size', 'VirtualSize', 'GraphDriver', 'RootFS', 'Metadata',
    ]);
    expect(info.RepoDigests).toEqual([`acme/my-base-image@sha256:${'b'.repeat(64)}`]);
    expect(info.Parent).toBe(bbase.id);
    expect(info.RootFS.Layers?.length).toBe(2);
    expect(info.GraphDriver.Name).toBe('overlay2');
  });
});

describe('loaded images have no parents (14-save-load)', () => {
  it('history shows <missing> below the top and rmi frees the layers top first', async () => {
    const bbase = await imported();
    const l1 = layers.registerBytes(tarOf({ 'app/one': 'one\n' }), bbase.topLayer);
    const l2 = layers.registerBytes(tarOf({ 'app/two': 'two\n' }), l1.chainId);
    const img = await store.createFromConfig({
      created: time(),
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['ls', '/app'] },
      rootfs: { type: 'layers', diff_ids: [bbase.config.rootfs!.diff_ids![0]!, l1.diffId, l2.diffId] },
      history: [
        { created: time(), comment: 'Imported from -' },
        { created: time(), created_by: 'one' },
        { created: time(), created_by: 'two' },
        { created: time(), created_by: 'LABEL', empty_layer: true },
      ],
    });
    await store.tag(img.id, 'orc_n_img:1');
    expect(imageHistory(store, 'orc_n_img:1').map((h) => [h.id === img.id ? 'ID' : h.id, h.size])).toEqual([
      ['ID', 0],
      ['<missing>', 4],
      ['<missing>', 4],
      ['<missing>', 1982426],
    ]);
    expect(lines(await deleteImage(store, 'orc_n_img:1'))).toEqual([
      'Untagged: orc_n_img:1',
      `Deleted: ${img.id}`,
      `Deleted: ${l2.chainId}`,
      `Deleted: ${l1.chainId}`,
    ]);
  });
});

describe('prune', () => {
  it('removes dangling images only, or all unused with all', async () => {
    const bbase = await imported();
    const a = await step(bbase, 'a', { a: 100 });
    const b = await step(bbase, 'b', { b: 50 });
    await store.tag(b.id, 'keep:1');
    const r = await pruneImages(store);
    expect(lines(r.deleted)).toEqual([`Deleted: ${a.id}`, `Deleted: ${a.topLayer}`]);
    expect(r.spaceReclaimed).toBe(100);
    const all = await pruneImages(store, { all: true });
    expect(lines(all.deleted)).toEqual([
      'Untagged: keep:1',
      `Deleted: ${b.id}`,
      `Deleted: ${b.topLayer}`,
      'Untagged: bbase:1',
      `Deleted: ${bbase.id}`,
      `Deleted: ${bbase.topLayer}`,
    ]);
  });
});

describe('system df attributes', () => {
  it('counts containers and shared layer sizes', async () => {
    const bbase = await imported();
    const a = await step(bbase, 'a', { a: 100 });
    await store.tag(a.id, 'a:1');
    containers.push({ id: 'e'.repeat(64), image: a.id, running: false, top: a.topLayer });
    const rows = listImages(store, { withExtraAttrs: true });
    const byTag = Object.fromEntries(rows.map((r) => [r.repoTags[0], r]));
    expect(byTag['a:1']).toMatchObject({ size: 1982526, sharedSize: 1982426, containers: 1 });
    expect(byTag['bbase:1']).toMatchObject({ size: 1982426, sharedSize: 1982426, containers: 0 });
    expect(listImages(store)[0]!.sharedSize).toBe(-1);
  });
});

describe('damaged records', () => {
  it('a config whose bytes no longer match its ID is left out of listings', async () => {
    const bbase = await imported();
    const other = await step(bbase, 'x', { x: 'x' });
    const file = path.join(root, 'image', 'overlay2', 'imagedb', 'content', 'sha256', other.id.slice(7));
    fs.writeFileSync(file, '{"tampered":true}');
    expect(listImages(store, { all: true }).map((i) => i.id)).toEqual([bbase.id]);
    expect(() => store.get(other.id)).toThrow('does not match its content');
  });
});
