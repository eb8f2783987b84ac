import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import { Catalog, computePins, expandLayer, hashLayer, layerTarStream, pull } from '../../../src/engine/catalog/index.js';
import { ImageStore, imageHistory, inspectImage, listImages } from '../../../src/engine/images/index.js';
import { classifyBinary } from '../../../src/runtime/binary-marker.js';
import { FakeLayerStore } from '../images/fake-layer-store.js';

const catalog = new Catalog();
const byName = (repo: string, tag: string) => {
  const found = catalog.all().find((i) => i.spec.repository === repo && i.spec.tags.includes(tag));
  if (!found) throw new Error(`no ${repo}:${tag} in the catalog`);
  return found.spec;
};

/** go-units HumanSizeWithPrecision(size, 3), enough for these checks. */
function human(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

describe('catalog fixtures', () => {
  it('holds the images the walkthroughs need', () => {
    for (const [repo, tag] of [
      ['alpine', 'latest'],
      ['busybox', 'latest'],
      ['ubuntu', '18.04'],
      ['ubuntu', 'latest'],
      ['ubuntu', '15.04'],
      ['nginx', 'latest'],
      ['mysql', '5.7'],
    ] as const) {
      expect(byName(repo, tag).pins).toBeDefined();
    }
  });

  it.each([
    ['alpine', 'latest', '7.05MB', 1],
    ['busybox', 'latest', '4.26MB', 1],
    ['ubuntu', '18.04', '63.1MB', 1],
    ['ubuntu', 'latest', '78.1MB', 1],
    ['ubuntu', '15.04', '131MB', 4],
    ['nginx', 'latest', '187MB', 7],
    ['mysql', '5.7', '501MB', 10],
  ] as const)('%s:%s is %s in %d layers, and its spec adds up', (repo, tag, size, layers) => {
    const spec = byName(repo, tag);
    expect(spec.layers.length).toBe(layers);
    const total = spec.layers.reduce((s, l) => s + expandLayer(l).size, 0);
    expect(total).toBe(spec.pins!.size);
    expect(human(total)).toBe(size);
    expect(spec.pins!.diffIds.length).toBe(layers);
    const nonEmpty = (spec.config.history ?? []).filter((h) => !h.empty_layer).length;
    expect(nonEmpty).toBe(layers);
  });

  it('alpine has the seed walkthrough history rows', () => {
    const h = byName('alpine', 'latest').config.history!;
    expect(h.map((r) => r.created_by)).toEqual([
      '/bin/sh -c #(nop) ADD file:587cae71969871d3c6456d844a8795df9b64b12c710c275295a1182b46f630e7 in / ',
      '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
    ]);
    expect(byName('alpine', 'latest').pins!.size).toBe(7049688);
  });
});

describe('generation is deterministic', () => {
  it.each([
    ['alpine', 'latest'],
    ['busybox', 'latest'],
  ] as const)('%s:%s generates its pinned DiffIDs, image ID and digest, twice', (repo, tag) => {
    const spec = byName(repo, tag);
    const a = computePins(spec);
    const b = computePins(spec);
    expect(a.diffIds).toEqual(b.diffIds);
    expect({ diffIds: a.diffIds, id: a.id, digest: a.digest, size: a.size }).toEqual(spec.pins);
  });

  it.runIf(process.env.MYDOCK_SLOW_TESTS === '1')('every fixture generates its pins', () => {
    for (const { spec, file } of catalog.all()) {
      const p = computePins(spec);
      expect({ file, diffIds: p.diffIds, id: p.id, digest: p.digest, size: p.size }).toEqual({ file, ...spec.pins });
    }
  }, 300_000);
});

describe('layer tars', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-catalog-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('alpine extracts with a standard tar reader: busybox, apk, applet links, real files', async () => {
    const spec = byName('alpine', 'latest');
    const file = path.join(dir, 'layer.tar');
    const chunks: Buffer[] = [];
    for await (const c of layerTarStream(spec.layers[0]!)) chunks.push(c as Buffer);
    fs.writeFileSync(file, Buffer.concat(chunks));
    expect(`sha256:${(await import('node:crypto')).createHash('sha256').update(Buffer.concat(chunks)).digest('hex')}`).toBe(
      spec.pins!.diffIds[0],
    );
    const root = path.join(dir, 'root');
    fs.mkdirSync(root);
    // preservePaths keeps absolute symlink targets as Docker does (the entries themselves are relative).
    await tar.x({ file, cwd: root, preservePaths: true });
    const busybox = fs.readFileSync(path.join(root, 'bin/busybox'));
    expect(busybox.length).toBe(824904);
    expect(classifyBinary(busybox.subarray(0, 128))).toEqual({ kind: 'emulated', program: 'busybox' });
    expect(classifyBinary(fs.readFileSync(path.join(root, 'sbin/apk')).subarray(0, 128))).toEqual({
      kind: 'emulated',
      program: 'apk',
    });
    expect(fs.readlinkSync(path.join(root, 'bin/ls'))).toBe('/bin/busybox');
    expect(fs.readlinkSync(path.join(root, 'usr/bin/wc'))).toBe('/bin/busybox');
    expect(fs.readFileSync(path.join(root, 'etc/alpine-release'), 'utf8')).toBe('3.17.2\n');
    expect(fs.readFileSync(path.join(root, 'etc/passwd'), 'utf8')).toMatch(/^root:x:0:0:root:\/root:\/bin\/ash\n/);
    // Modes as stored (extraction applies the umask).
    const modes = new Map<string, number>();
    await tar.t({ file, onReadEntry: (e) => void modes.set(e.path, e.mode ?? 0) });
    expect(modes.get('tmp/')).toBe(0o1777);
    expect(modes.get('bin/busybox')).toBe(0o755);
  });

  it('busybox applets are hard links to one binary, as in the real image', () => {
    const entries = expandLayer(byName('busybox', 'latest').layers[0]!).entries;
    const first = entries.find((e) => e.path === 'bin/[')!;
    expect(first.type).toBe('file');
    expect(entries.find((e) => e.path === 'bin/sh')).toMatchObject({ type: 'hardlink', linkname: 'bin/[' });
    // Every hard link comes after its target in the archive.
    const index = new Map(entries.map((e, i) => [e.path, i]));
    for (const e of entries) if (e.type === 'hardlink') expect(index.get(e.linkname!)!).toBeLessThan(index.get(e.path)!);
  });

  it("mysql's entrypoint is an emulated binary of the real script's size; nginx's is a real script", () => {
    const mysql = expandLayer(byName('mysql', '5.7').layers[8]!).entries.find((e) => e.path.endsWith('docker-entrypoint.sh'))!;
    const bytes = Buffer.concat([...mysql.content!()]);
    expect(bytes.length).toBe(4986);
    expect(classifyBinary(bytes.subarray(0, 128))).toEqual({ kind: 'emulated', program: 'docker-entrypoint.sh' });
    expect(mysql.mode).toBe(0o775);
    expect(byName('mysql', '5.7').pins!.size).toBe(501246198);
    const nginx = expandLayer(byName('nginx', 'latest').layers[2]!).entries.find((e) => e.path === 'docker-entrypoint.sh')!;
    expect(nginx.size).toBe(1620);
    expect(Buffer.concat([...nginx.content!()]).toString('utf8').startsWith('#!/bin/sh\n')).toBe(true);
  });

  it('hashLayer agrees with the stream', async () => {
    const layer = byName('ubuntu', '15.04').layers[2]!;
    const chunks: Buffer[] = [];
    for await (const c of layerTarStream(layer)) chunks.push(c as Buffer);
    const { createHash } = await import('node:crypto');
    expect(hashLayer(layer)).toEqual({
      diffId: `sha256:${createHash('sha256').update(Buffer.concat(chunks)).digest('hex')}`,
      bytes: Buffer.concat(chunks).length,
    });
  });
});

describe('pull', () => {
  let root: string;
  let layers: FakeLayerStore;
  let store: ImageStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-pull-'));
    layers = new FakeLayerStore();
    store = new ImageStore({ imageDir: path.join(root, 'image', 'overlay2'), layers });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints what docker pull prints, then is up to date', async () => {
    const spec = byName('alpine', 'latest');
    const short = spec.pins!.diffIds[0]!.slice(7, 19);
    const events: string[] = [];
    const first = await pull(store, 'alpine', { catalog, onProgress: (e) => events.push(e.status) });
    expect(first.lines).toEqual([
      'Using default tag: latest',
      'latest: Pulling from library/alpine',
      `${short}: Pulling fs layer`,
      `${short}: Verifying Checksum`,
      `${short}: Download complete`,
      `${short}: Pull complete`,
      `Digest: ${spec.pins!.digest}`,
      'Status: Downloaded newer image for alpine:latest',
      'docker.io/library/alpine:latest',
    ]);
    expect(events.length).toBe(first.lines.length);
    expect(first.image.id).toBe(spec.pins!.id);

    const again = await pull(store, 'alpine:latest', { catalog });
    expect(again.lines).toEqual([
      'latest: Pulling from library/alpine',
      `Digest: ${spec.pins!.digest}`,
      'Status: Image is up to date for alpine:latest',
      'docker.io/library/alpine:latest',
    ]);

    const rows = listImages(store);
    expect(rows.map((r) => [r.repoTags, r.size])).toEqual([[['alpine:latest'], 7049688]]);
    const info = inspectImage(store, 'alpine');
    expect(info.RepoDigests).toEqual([`alpine@${spec.pins!.digest}`]);
    expect(info.Metadata.LastTagTime).toBe('0001-01-01T00:00:00Z');
    expect(info.Config).toMatchObject({ Cmd: ['/bin/sh'] });

    const hist = imageHistory(store, 'alpine');
    expect(hist.map((h) => [h.id, h.createdBy, h.size])).toEqual([
      [spec.pins!.id, '/bin/sh -c #(nop)  CMD ["/bin/sh"]', 0],
      ['<missing>', '/bin/sh -c #(nop) ADD file:587cae71969871d3c6456d844a8795df9b64b12c710c275295a1182b46f630e7 in / ', 7049688],
    ]);
  });

  it('pulls by another tag and by digest without downloading again', async () => {
    await pull(store, 'alpine', { catalog });
    const spec = byName('alpine', 'latest');
    const byTag = await pull(store, 'alpine:3.17', { catalog });
    expect(byTag.lines.slice(0, 2)).toEqual(['3.17: Pulling from library/alpine', `Digest: ${spec.pins!.digest}`]);
    expect(byTag.lines).toContain('Status: Downloaded newer image for alpine:3.17');
    const byDigest = await pull(store, `alpine@${spec.pins!.digest}`, { catalog });
    expect(byDigest.lines[0]).toBe(`${spec.pins!.digest}: Pulling from library/alpine`);
    expect(byDigest.lines.at(-1)).toBe(`docker.io/library/alpine@${spec.pins!.digest}`);
  });

  it('shares layers already present ("Already exists")', async () => {
    const spec = byName('ubuntu', '15.04');
    // Register the base layer first, as if another image had brought it.
    const base = await layers.register(layerTarStream(spec.layers[0]!), null);
    expect(base.diffId).toBe(spec.pins!.diffIds[0]);
    const res = await pull(store, 'ubuntu:15.04', { catalog });
    const ids = spec.pins!.diffIds.map((d) => d.slice(7, 19));
    expect(res.lines.slice(1, 5)).toEqual([
      `${ids[0]}: Already exists`,
      `${ids[1]}: Pulling fs layer`,
      `${ids[2]}: Pulling fs layer`,
      `${ids[3]}: Pulling fs layer`,
    ]);
    expect(res.lines.filter((l) => l.endsWith('Pull complete')).length).toBe(3);
    expect(store.size(res.image)).toBe(spec.pins!.size);
  });

  it("fails with Docker's texts for unknown repositories and tags", async () => {
    const seen: string[] = [];
    await expect(pull(store, 'nosuch', { catalog, onProgress: (e) => seen.push(e.status) })).rejects.toThrow(
      "pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
    );
    expect(seen).toEqual(['Using default tag: latest']);
    await expect(pull(store, 'alpine:nosuch', { catalog })).rejects.toThrow(
      'manifest for alpine:nosuch not found: manifest unknown: manifest unknown',
    );
    await expect(pull(store, 'Alpine', { catalog })).rejects.toThrow(
      'invalid reference format: repository name (library/Alpine) must be lowercase',
    );
  });

  it('generates from a stream without buffering it whole', async () => {
    const stream = layerTarStream(byName('busybox', 'latest').layers[0]!);
    expect(stream).toBeInstanceOf(Readable);
    let max = 0;
    for await (const c of stream) max = Math.max(max, (c as Buffer).length);
    expect(max).toBeLessThanOrEqual(2 << 20);
  });
});

describe('inspect matches a real Docker engine', () => {
  it('alpine:latest, loaded into Docker 20.10 from the same generated layer and config', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-inspect-'));
    try {
      const store = new ImageStore({ imageDir: path.join(root, 'image', 'overlay2'), layers: new FakeLayerStore() });
      await pull(store, 'alpine', { catalog });
      const info = inspectImage(store, 'alpine') as unknown as Record<string, unknown> & { GraphDriver: Record<string, unknown> };
      // What differs by design: names (Docker's copy was loaded under another tag), host paths.
      delete info.GraphDriver.Data;
      info.RepoTags = [];
      info.RepoDigests = [];
      info.Metadata = {};
      const docker = fs.readFileSync(new URL('./fixtures/alpine-inspect.docker.json', import.meta.url), 'utf8');
      expect(`${JSON.stringify([info], null, 4)}\n`).toBe(docker);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
