/**
 * From a catalog spec to layer tars, config bytes, IDs and the manifest.
 * Pure and deterministic: the same spec gives the same bytes everywhere.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { makeEmulatedBinary } from '../../runtime/binary-marker.js';
import { chainIdOf } from '../../storage/layer-store.js';
import { marshalGo } from '../images/gojson.js';
import { marshalImageConfig, type ImageConfig } from '../images/config.js';
import { fillerChunks } from './filler.js';
import { tarChunks, type TarEntry } from './tar.js';
import type { EntrySpec, ImagePins, ImageSpec, LayerSpec } from './spec.js';

const WHITEOUT_PREFIX = '.wh.';

function parseMode(mode: string | undefined, fallback: number): number {
  return mode === undefined ? fallback : parseInt(mode, 8);
}

function clean(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Component-wise order, so a directory always precedes what it holds. */
function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return Buffer.compare(Buffer.from(pa[i]!), Buffer.from(pb[i]!));
  }
  return pa.length - pb.length;
}

/** Big buffers go out in 1 MiB views, like filler, so consumers see bounded chunks. */
function* slices(buf: Buffer): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += 1 << 20) yield buf.subarray(i, Math.min(buf.length, i + (1 << 20)));
}

interface Expanded {
  entries: TarEntry[];
  /** Docker's size of the layer. */
  size: number;
}

/** The layer's tar entries, sorted, with `rest` resolved. Throws when the sizes cannot add up. */
export function expandLayer(layer: LayerSpec): Expanded {
  const byPath = new Map<string, TarEntry>();
  let restPath: string | null = null;
  let restMode = 0o644;
  let counted = 0;
  const mtime = layer.mtime;
  const add = (e: TarEntry) => {
    if (byPath.has(e.path)) throw new Error(`catalog: duplicate entry ${e.path}`);
    byPath.set(e.path, e);
    if (e.type === 'file') counted += e.size ?? 0;
    if (e.type === 'symlink') counted += Buffer.byteLength(e.linkname ?? '');
  };
  const file = (path: string, mode: number, size: number, content: () => Iterable<Buffer>) =>
    add({ path: clean(path), type: 'file', mode, size, content, mtime });

  for (const spec of layer.entries as EntrySpec[]) {
    if ('dir' in spec) add({ path: clean(spec.dir), type: 'dir', mode: parseMode(spec.mode, 0o755), mtime });
    else if ('text' in spec) {
      const data = Buffer.from(spec.text, 'utf8');
      file(spec.file, parseMode(spec.mode, 0o644), data.length, () => [data]);
    } else if ('program' in spec) {
      const { program, size } = spec;
      file(spec.file, parseMode(spec.mode, 0o755), size, () => slices(makeEmulatedBinary(program, size)));
    } else if ('filler' in spec) {
      const path = clean(spec.file);
      const size = spec.filler;
      file(path, parseMode(spec.mode, 0o644), size, () => fillerChunks(path, size));
    } else if ('rest' in spec) {
      if (restPath !== null) throw new Error('catalog: more than one rest entry in a layer');
      restPath = clean(spec.file);
      restMode = parseMode(spec.mode, 0o644);
    } else if ('symlink' in spec) add({ path: clean(spec.symlink), type: 'symlink', mode: 0o777, linkname: spec.target, mtime });
    else if ('hardlink' in spec) add({ path: clean(spec.hardlink), type: 'hardlink', mode: 0o755, linkname: clean(spec.target), mtime });
    else if ('symlinks' in spec) {
      for (const p of spec.symlinks.paths) add({ path: clean(p), type: 'symlink', mode: 0o777, linkname: spec.symlinks.target, mtime });
    } else if ('hardlinks' in spec) {
      for (const p of spec.hardlinks.paths) {
        add({ path: clean(p), type: 'hardlink', mode: 0o755, linkname: clean(spec.hardlinks.target), mtime });
      }
    } else if ('programs' in spec) {
      const mode = parseMode(spec.programs.mode, 0o755);
      for (const [name, size] of Object.entries(spec.programs.sizes)) {
        file(`${spec.programs.dir}/${name}`, mode, size, () => slices(makeEmulatedBinary(name, size)));
      }
    } else if ('whiteout' in spec) {
      const p = clean(spec.whiteout);
      const slash = p.lastIndexOf('/');
      const wh = slash === -1 ? `${WHITEOUT_PREFIX}${p}` : `${p.slice(0, slash)}/${WHITEOUT_PREFIX}${p.slice(slash + 1)}`;
      file(wh, 0o644, 0, () => []);
    }
  }
  if (restPath !== null) {
    const rest = layer.size - counted;
    if (rest < 0) throw new Error(`catalog: layer content is ${counted} bytes, more than its size ${layer.size}`);
    const path = restPath;
    file(path, restMode, rest, () => fillerChunks(path, rest));
  } else if (counted !== layer.size) {
    throw new Error(`catalog: layer content is ${counted} bytes, its size says ${layer.size}`);
  }
  // Implied parent directories.
  for (const p of [...byPath.keys()]) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir', mode: 0o755, mtime });
    }
  }
  const entries = [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
  return { entries, size: layer.size };
}

/** A layer's tar as a stream. */
export function layerTarStream(layer: LayerSpec): Readable {
  return Readable.from(tarChunks(expandLayer(layer).entries), { objectMode: false });
}

/** Hashes a layer tar without keeping it: its DiffID and byte length. */
export function hashLayer(layer: LayerSpec): { diffId: string; bytes: number } {
  const h = createHash('sha256');
  let bytes = 0;
  for (const chunk of tarChunks(expandLayer(layer).entries)) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { diffId: `sha256:${h.digest('hex')}`, bytes };
}

/** The config with its DiffIDs filled in. */
export function configWithLayers(spec: ImageSpec, diffIds: string[]): ImageConfig {
  return { ...spec.config, rootfs: { type: 'layers', diff_ids: diffIds } };
}

export function configBytes(spec: ImageSpec, diffIds: string[]): Buffer {
  return marshalImageConfig(configWithLayers(spec, diffIds));
}

export const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
/** Catalog layers are served uncompressed, so a layer's blob digest is its DiffID. */
export const LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';

/** The OCI manifest a registry would serve for the image; its sha256 is the RepoDigest. */
export function manifestBytes(config: Buffer, layers: Array<{ diffId: string; bytes: number }>): Buffer {
  const id = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  return Buffer.from(
    marshalGo({
      schemaVersion: 2,
      mediaType: MANIFEST_MEDIA_TYPE,
      config: { mediaType: CONFIG_MEDIA_TYPE, digest: id, size: config.length },
      layers: layers.map((l) => ({ mediaType: LAYER_MEDIA_TYPE, digest: l.diffId, size: l.bytes })),
    }),
    'utf8',
  );
}

/** Everything generation produces, computed by hashing (nothing written). */
export function computePins(spec: ImageSpec): ImagePins & { layerBytes: number[]; manifest: Buffer } {
  const layers = spec.layers.map(hashLayer);
  const diffIds = layers.map((l) => l.diffId);
  const config = configBytes(spec, diffIds);
  const manifest = manifestBytes(config, layers);
  return {
    diffIds,
    id: `sha256:${createHash('sha256').update(config).digest('hex')}`,
    digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
    size: spec.layers.reduce((s, l) => s + l.size, 0),
    layerBytes: layers.map((l) => l.bytes),
    manifest,
  };
}

/** The ChainIDs of the spec's layers, from pinned DiffIDs. */
export function chainIdsOf(diffIds: string[]): string[] {
  const out: string[] = [];
  let parent: string | null = null;
  for (const d of diffIds) {
    parent = chainIdOf(parent, d);
    out.push(parent);
  }
  return out;
}
