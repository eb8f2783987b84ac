/**
 * `docker load`, as the 20.10 daemon's image/tarexport Load does it:
 * unpack the archive, read `manifest.json` (or an OCI `index.json`), and
 * for each image register the layers it does not have yet (each checked
 * against its DiffID before anything is stored), store the config bytes
 * unchanged (so the image ID is the one that was saved), and point its tags
 * at it. A loaded image has no parent record unless its parent came in the
 * same archive, which is why `history` shows `<missing>` below the top.
 *
 * Lines are reported as Docker streams them: "Loaded image: x:1" per tag,
 * a rename notice when a tag moves, and "Loaded image ID: sha256:…" for
 * every image when the last image of the archive had no tag.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { chainIdOf, type Digest } from '../../storage/layer-store.js';
import { diffIdsOf, familiarString, parseImageConfig, type ImageStore } from '../images/index.js';
import { parseNormalizedNamed, ReferenceParseError } from '../reference/index.js';
import { ClientError } from '../errors.js';
import { ArchiveDir } from './archive-dir.js';
import { decompressStream } from './decompress.js';
import { archiveFileMissing, invalidDiffId, invalidLoadTag, layersLengthMismatch, loadTarError } from './errors.js';
import { readManifestJson, readOciIndex, REPOSITORIES_FILE, type ManifestItem } from './manifest.js';
import { tarFailure, withTarErrors } from './tar-errors.js';

export interface LoadOptions {
  /** Each output line (without its newline) as it happens. */
  onLine?: (line: string) => void;
  /** Where to unpack (the service passes a directory inside the root). */
  tmpDir?: string;
}

export interface LoadResult {
  lines: string[];
  /** The loaded image IDs, in archive order. */
  imageIds: string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

async function sha256Of(stream: Readable): Promise<Digest> {
  const h = createHash('sha256');
  for await (const c of stream) h.update(c as Buffer);
  return `sha256:${h.digest('hex')}`;
}

function tagOf(repoTag: string) {
  let ref;
  try {
    ref = parseNormalizedNamed(repoTag, 'daemon');
  } catch (err) {
    if (err instanceof ReferenceParseError) throw new ClientError(err.message, 'INVALID_REFERENCE', { input: repoTag });
    throw err;
  }
  if (ref.tag === null || ref.digest !== null) throw invalidLoadTag(repoTag);
  return ref;
}

export async function loadImages(
  store: ImageStore,
  source: AsyncIterable<Buffer | Uint8Array | string> | Readable,
  options: LoadOptions & { tmpDir: string },
): Promise<LoadResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    options.onLine?.(line);
  };
  const dir = await ArchiveDir.extract(source, options.tmpDir);
  const fresh: Digest[] = [];
  try {
    const items = readManifestJson(dir) ?? readOciIndex(dir);
    if (items === null) {
      // Docker falls back to the pre-1.10 layout, whose first step is to open "repositories".
      if (dir.readFile(REPOSITORIES_FILE) === null) throw archiveFileMissing(dir.hostPath(REPOSITORIES_FILE));
      throw new ClientError('archives in the pre-1.10 layout (no manifest.json) are not supported', 'LEGACY_LAYOUT');
    }
    const imageIds: string[] = [];
    const parents: { id: string; parent: string | undefined }[] = [];
    const idLines: string[] = [];
    let refCount = 0;
    for (const m of items) {
      const id = await loadOne(store, dir, m, fresh);
      imageIds.push(id);
      idLines.push(`Loaded image ID: ${id}`);
      refCount = 0;
      for (const repoTag of m.RepoTags ?? []) {
        const ref = tagOf(repoTag);
        await store.locked(() => {
          const prev = store.refs.get(ref);
          if (prev !== null && prev !== id) {
            say(`The image ${familiarString(ref)} already exists, renaming the old one with ID ${prev} to empty string`);
          }
          // setLoadedTag: the tag moves, LastTagTime is left alone.
          store.addReference(ref, id);
        });
        say(`Loaded image: ${familiarString(ref)}`);
        refCount++;
      }
      parents.push({ id, parent: m.Parent });
    }
    // validatedParentLinks: a parent is recorded only when it came in the same archive.
    const loaded = new Set(imageIds);
    for (const p of parents) {
      if (p.parent && loaded.has(p.parent)) await setParent(store, p.id, p.parent);
    }
    if (refCount === 0) for (const l of idLines) say(l);
    return { lines, imageIds };
  } catch (err) {
    await releaseFresh(store, fresh);
    throw tarFailure(err, loadTarError);
  } finally {
    dir.dispose();
  }
}

/** Registers the layers of one manifest item and stores its config; returns the image ID. */
async function loadOne(store: ImageStore, dir: ArchiveDir, m: ManifestItem, fresh: Digest[]): Promise<string> {
  const configBytes = dir.readFile(m.Config);
  if (configBytes === null) throw archiveFileMissing(dir.hostPath(m.Config));
  let config;
  try {
    config = parseImageConfig(configBytes);
  } catch (err) {
    throw new ClientError((err as Error).message, 'INVALID_IMAGE_CONFIG');
  }
  if (!config.rootfs) throw new ClientError('invalid image JSON, no RootFS key', 'INVALID_IMAGE_CONFIG');
  if (config.os && config.os !== 'linux') throw new ClientError(`image operating system "${config.os}" cannot be used on this platform`, 'INCOMPATIBLE_OS');
  const diffIds = diffIdsOf(config);
  if (m.Layers.length !== diffIds.length) throw layersLengthMismatch(m.Layers.length, diffIds.length);
  let parent: Digest | null = null;
  for (let i = 0; i < diffIds.length; i++) {
    const diffId = diffIds[i]!;
    const chainId = chainIdOf(parent, diffId);
    // A malformed DiffID ("rha256:…") names no layer: the content check below refuses it.
    if (!DIGEST.test(chainId) || store.layers.get(chainId) === null) {
      const open = () => {
        const s = dir.open(m.Layers[i]!);
        if (s === null) throw archiveFileMissing(dir.hostPath(m.Layers[i]!));
        return s;
      };
      // Checked before anything is stored: a layer that lies about its content never lands.
      const actual = await withTarErrors(async () => sha256Of(await decompressStream(open())), loadTarError);
      if (actual !== diffId) throw invalidDiffId(i, diffId, actual);
      const layer = await withTarErrors(async () => store.layers.register(await decompressStream(open()), parent), loadTarError);
      if (layer.diffId !== diffId) throw invalidDiffId(i, diffId, layer.diffId);
      fresh.push(layer.chainId);
    }
    parent = chainId;
  }
  const img = await store.create(configBytes);
  return img.id;
}

/** image.Store.SetParent: only when the parent's layers are the start of the child's. */
async function setParent(store: ImageStore, id: string, parentId: string): Promise<void> {
  const child = store.get(id);
  const parent = store.get(parentId);
  if (!child || !parent) return;
  const c = diffIdsOf(child.config);
  const p = diffIdsOf(parent.config);
  if (p.length > c.length || p.some((d, i) => c[i] !== d)) return;
  await store.locked(() => store.db.setMetadata(id, 'parent', parentId));
}

/** After a failed load, the layers it registered that no image holds go again. */
async function releaseFresh(store: ImageStore, fresh: Digest[]): Promise<void> {
  if (fresh.length === 0) return;
  await store.locked(() => {
    const held = store.heldLayers();
    for (const chainId of [...fresh].reverse()) {
      if (!held.has(chainId) && store.layers.get(chainId) !== null) store.layers.remove(chainId);
    }
  });
}
