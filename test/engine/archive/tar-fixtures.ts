/**
 * Small tars for the archive tests, written with the project's own header
 * encoder: layer tars, and whole image archives in the legacy (`<v1id>/
 * layer.tar`), Docker 25+ and plain OCI layouts, so no Docker archive has
 * to be committed.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encodeHeader, padding, TRAILER, type TypeFlag } from '../../../src/storage/tar/header.js';

export interface Member {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  body?: string | Buffer;
  linkname?: string;
  mode?: number;
}

export function tar(members: readonly Member[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const type = m.type ?? (m.name.endsWith('/') ? 'dir' : 'file');
    const body = type === 'file' ? Buffer.from(m.body ?? '') : Buffer.alloc(0);
    const flag: TypeFlag = type === 'dir' ? '5' : type === 'symlink' ? '2' : type === 'hardlink' ? '1' : '0';
    const typeBits = type === 'dir' ? 0o040000 : type === 'symlink' ? 0o120000 : 0o100000;
    parts.push(
      encodeHeader({
        name: m.name,
        typeflag: flag,
        mode: typeBits | (m.mode ?? (type === 'dir' ? 0o755 : 0o644)),
        uid: 0,
        gid: 0,
        size: body.length,
        mtime: 0,
        linkname: m.linkname ?? '',
        devmajor: 0,
        devminor: 0,
      }),
    );
    if (body.length) parts.push(body, Buffer.alloc(padding(body.length)));
  }
  parts.push(TRAILER);
  return Buffer.concat(parts);
}

export const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
export const hex = (digest: string) => digest.slice(7);
export const gzip = (b: Buffer) => gzipSync(b);

export interface TestImage {
  config: Buffer;
  id: string;
  layers: Buffer[];
}

/** An image config over `layers` with one history row per layer. */
export function testImage(layers: Buffer[], cmd: string[] = ['cat', '/a.txt']): TestImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      config: { Cmd: cmd, Env: ['PATH=/bin'] },
      created: '2024-01-02T03:04:05.123456789Z',
      history: layers.map((_, i) => ({ created: '2024-01-02T03:04:05Z', created_by: `/bin/sh -c step ${i}` })),
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) },
    }),
  );
  return { config, id: sha256(config), layers };
}

/** The legacy `docker save` layout; a layer listed twice becomes a symlink to its first copy. */
export function legacyArchive(img: TestImage, repoTags: string[] | null, options: { layerTransform?: (b: Buffer) => Buffer } = {}): Buffer {
  const members: Member[] = [];
  const first = new Map<string, string>();
  const layerPaths: string[] = [];
  img.layers.forEach((layer, i) => {
    const v1 = createHash('sha256').update(`v1-${i}-${sha256(layer)}`).digest('hex');
    const p = `${v1}/layer.tar`;
    members.push({ name: `${v1}/`, type: 'dir' }, { name: `${v1}/VERSION`, body: '1.0' }, { name: `${v1}/json`, body: '{}' });
    const seen = first.get(sha256(layer));
    if (seen) members.push({ name: p, type: 'symlink', linkname: `../${seen}` });
    else {
      members.push({ name: p, body: options.layerTransform ? options.layerTransform(layer) : layer });
      first.set(sha256(layer), p);
    }
    layerPaths.push(p);
  });
  members.push({ name: `${hex(img.id)}.json`, body: img.config });
  members.push({ name: 'manifest.json', body: JSON.stringify([{ Config: `${hex(img.id)}.json`, RepoTags: repoTags, Layers: layerPaths }]) });
  return tar(members);
}

/** A plain OCI image layout (no manifest.json), layers gzip-compressed as registries keep them. */
export function ociArchive(img: TestImage, refName: string | null): Buffer {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer) => {
    const d = sha256(b);
    blobs.set(d, b);
    return { digest: d, size: b.length };
  };
  const layerDescs = img.layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(gzip(l)) }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...put(img.config) },
      layers: layerDescs,
    }),
  );
  const m = put(manifest);
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, ...(refName ? { annotations: { 'org.opencontainers.image.ref.name': refName } } : {}) }],
  };
  const members: Member[] = [{ name: 'oci-layout', body: '{"imageLayoutVersion": "1.0.0"}' }, { name: 'index.json', body: JSON.stringify(index) }];
  members.push({ name: 'blobs/', type: 'dir' }, { name: 'blobs/sha256/', type: 'dir' });
  for (const [d, b] of blobs) members.push({ name: `blobs/sha256/${hex(d)}`, body: b });
  return tar(members);
}

/** A root filesystem as GNU tar writes it with `-C rootfs .`: "./" prefixes. */
export function rootfsTar(): Buffer {
  return tar([
    { name: './', type: 'dir' },
    { name: './a.txt', body: 'hello\n' },
    { name: './bin/', type: 'dir' },
    { name: './bin/tool', body: '#!/bin/sh\n', mode: 0o755 },
    { name: './bin/alias', type: 'symlink', linkname: 'tool' },
  ]);
}
