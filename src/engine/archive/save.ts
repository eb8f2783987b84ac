/**
 * `docker save`: the images, their layers and their tags in one tar, in
 * either of the layouts Docker writes. The archive is assembled in a
 * temporary directory and then tarred, as the daemon does, so every layer
 * tar's size is known before its header is written.
 *
 * - `oci` (Docker 25+): an OCI image layout (`oci-layout`, `index.json`
 *   with one entry per tag, annotated with `io.containerd.image.name` and
 *   `org.opencontainers.image.ref.name`; `blobs/sha256/` holding the config,
 *   each layer tar and the manifest) plus `manifest.json` and
 *   `repositories`, which older engines read.
 * - `legacy` (Docker up to 24): `<config-hex>.json`, one
 *   `<v1-id>/{VERSION,json,layer.tar}` per layer (a layer repeated in an
 *   image is a symlink to its first copy), `manifest.json`, `repositories`.
 *
 * Either way a layer tar is the registered layer byte for byte (its sha256
 * is its DiffID), so the image keeps its ID when any engine loads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { chainIdOf, type Digest } from '../../storage/layer-store.js';
import { diffIdsOf, familiarName, familiarString, GoMap, marshalGo, type GoValue, type Image, type ImageStore } from '../images/index.js';
import { digestHex, fullString, sha256Digest } from '../reference/index.js';
import { emptyExport } from './errors.js';
import { INDEX_FILE, MANIFEST_FILE, OCI_LAYOUT_FILE, REPOSITORIES_FILE } from './manifest.js';
import { resolveSaveNames, type SaveSet } from './names.js';
import { tarDirectory } from './tar-dir.js';
import { createV1Id, marshalV1, UNIX_ZERO, v1Of, type V1Image } from './v1.js';

export type SaveFormat = 'oci' | 'legacy';

const MT_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MT_INDEX = 'application/vnd.oci.image.index.v1+json';
const MT_CONFIG = 'application/vnd.oci.image.config.v1+json';
const MT_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const OCI_LAYOUT = '{"imageLayoutVersion": "1.0.0"}';
const EPOCH = new Date(0);

/** A Go time string as a Date (to the millisecond: file times need no more). */
function dateOf(goTime: string | undefined): Date {
  const d = goTime ? new Date(goTime.replace(/(\.\d{3})\d+/, '$1')) : EPOCH;
  return Number.isNaN(d.getTime()) ? EPOCH : d;
}

function touch(file: string, when: Date): void {
  fs.utimesSync(file, when, when);
}

function writeFile(file: string, data: string | Buffer, when: Date | null): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, data, { mode: 0o644 });
  if (when) touch(file, when);
}

/** json.NewEncoder(f).Encode: Go's JSON and a newline. */
function encodeJson(value: GoValue): string {
  return marshalGo(value) + '\n';
}

interface Saved {
  /** Archive paths of the layer tars, base first. */
  layers: string[];
  /** What `repositories` maps a tag to: the top v1 ID (legacy) or the top DiffID hex (oci). */
  top: string;
  /** oci: the manifest blob's descriptor. */
  manifest?: { digest: string; size: number; platform: GoValue };
}

class SaveSession {
  /** DiffID -> archive path of the first copy. */
  private readonly diffIdPaths = new Map<Digest, string>();
  private readonly savedV1 = new Set<string>();

  constructor(
    private readonly store: ImageStore,
    private readonly out: string,
    private readonly format: SaveFormat,
  ) {}

  private async writeLayer(chainId: Digest, file: string, when: Date): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    await pipeline(this.store.layers.exportLayer(chainId), fs.createWriteStream(file, { mode: 0o644 }));
    touch(file, when);
  }

  async saveImage(img: Image): Promise<Saved> {
    const diffIds = diffIdsOf(img.config);
    if (diffIds.length === 0) throw emptyExport();
    const created = dateOf(img.config.created);
    return this.format === 'legacy' ? this.saveLegacy(img, diffIds, created) : this.saveOci(img, diffIds, created);
  }

  private async saveLegacy(img: Image, diffIds: string[], created: Date): Promise<Saved> {
    const layers: string[] = [];
    let parent: string | null = null;
    let chain: Digest | null = null;
    for (let i = 0; i < diffIds.length; i++) {
      chain = chainIdOf(chain, diffIds[i]!);
      const v1: V1Image = i === diffIds.length - 1 ? v1Of(img.config) : { created: UNIX_ZERO };
      const id = createV1Id(v1, chain, parent);
      const record: V1Image = { ...v1, id, parent: parent ?? undefined, os: img.config.os };
      if (!this.savedV1.has(id)) {
        const dir = path.join(this.out, id);
        fs.mkdirSync(dir, { mode: 0o755 });
        writeFile(path.join(dir, 'VERSION'), '1.0', created);
        writeFile(path.join(dir, 'json'), marshalV1(record), created);
        const layerFile = path.join(dir, 'layer.tar');
        const first = this.diffIdPaths.get(diffIds[i]!);
        if (first !== undefined) {
          fs.symlinkSync(path.relative(dir, first), layerFile);
        } else {
          await this.writeLayer(chain, layerFile, created);
          this.diffIdPaths.set(diffIds[i]!, layerFile);
        }
        touch(dir, created);
        this.savedV1.add(id);
      }
      layers.push(`${id}/layer.tar`);
      parent = id;
    }
    writeFile(path.join(this.out, `${digestHex(img.id)}.json`), img.rawConfig, created);
    return { layers, top: parent! };
  }

  private async saveOci(img: Image, diffIds: string[], created: Date): Promise<Saved> {
    const blobs = path.join(this.out, 'blobs', 'sha256');
    const layers: string[] = [];
    const descriptors: GoValue[] = [];
    let chain: Digest | null = null;
    for (const diffId of diffIds) {
      chain = chainIdOf(chain, diffId);
      const file = path.join(blobs, digestHex(diffId));
      if (!fs.existsSync(file)) await this.writeLayer(chain, file, created);
      layers.push(`blobs/sha256/${digestHex(diffId)}`);
      descriptors.push({ mediaType: MT_LAYER, digest: diffId, size: fs.statSync(file).size });
    }
    writeFile(path.join(blobs, digestHex(img.id)), img.rawConfig, created);
    const platform: GoValue = {
      architecture: img.config.architecture ?? '',
      os: img.config.os ?? '',
      'os.version': img.config['os.version'] || undefined,
      'os.features': img.config['os.features']?.length ? img.config['os.features'] : undefined,
      variant: img.config.variant || undefined,
    };
    const manifest = Buffer.from(
      marshalGo({
        schemaVersion: 2,
        mediaType: MT_MANIFEST,
        config: { mediaType: MT_CONFIG, digest: img.id, size: img.rawConfig.length, platform },
        layers: descriptors,
      }),
      'utf8',
    );
    const digest = sha256Digest(manifest);
    writeFile(path.join(blobs, digestHex(digest)), manifest, EPOCH);
    for (const d of [blobs, path.dirname(blobs)]) touch(d, created);
    return { layers, top: digestHex(diffIds[diffIds.length - 1]!), manifest: { digest, size: manifest.length, platform } };
  }
}

/** Writes the archive's directory; returns nothing, the caller tars `out`. */
async function assemble(store: ImageStore, set: Map<string, SaveSet>, out: string, format: SaveFormat): Promise<void> {
  const session = new SaveSession(store, out, format);
  const repositories: Record<string, Record<string, string>> = {};
  const items: { [key: string]: GoValue }[] = [];
  const index: GoValue[] = [];
  for (const [id, entry] of set) {
    const saved = await session.saveImage(entry.image);
    const tags: string[] = [];
    for (const ref of entry.refs) {
      (repositories[familiarName(ref)] ??= {})[ref.tag!] = saved.top;
      tags.push(familiarString(ref));
      if (saved.manifest) {
        index.push({
          mediaType: MT_MANIFEST,
          digest: saved.manifest.digest,
          size: saved.manifest.size,
          annotations: new GoMap<GoValue>({ 'io.containerd.image.name': fullString(ref), 'org.opencontainers.image.ref.name': ref.tag! }),
          platform: saved.manifest.platform,
        });
      }
    }
    // An untagged image still gets an index entry, so OCI tools can find it.
    if (saved.manifest && entry.refs.length === 0) {
      index.push({ mediaType: MT_MANIFEST, digest: saved.manifest.digest, size: saved.manifest.size, platform: saved.manifest.platform });
    }
    items.push({
      Config: format === 'legacy' ? `${digestHex(id)}.json` : `blobs/sha256/${digestHex(id)}`,
      RepoTags: tags.length > 0 ? tags : null,
      Layers: saved.layers,
    });
  }
  // validatedParentLinks: a parent is written only when it is saved too.
  [...set.values()].forEach((entry, i) => {
    const parent = entry.image.parent;
    if (parent && set.has(parent) && parent !== entry.image.id) items[i]!['Parent'] = parent;
  });
  if (Object.keys(repositories).length > 0) {
    const value = new GoMap<GoValue>(Object.fromEntries(Object.entries(repositories).map(([k, v]) => [k, new GoMap<GoValue>(v)])));
    writeFile(path.join(out, REPOSITORIES_FILE), encodeJson(value), EPOCH);
  }
  writeFile(path.join(out, MANIFEST_FILE), encodeJson(items), EPOCH);
  if (format === 'oci') {
    writeFile(path.join(out, OCI_LAYOUT_FILE), OCI_LAYOUT, EPOCH);
    writeFile(path.join(out, INDEX_FILE), marshalGo({ schemaVersion: 2, mediaType: MT_INDEX, manifests: index }), null);
  }
}

/**
 * Resolves `names` (failing before anything is written), assembles the
 * archive under `tmpParent` and returns it as a stream of tar chunks; the
 * directory goes when the stream ends or is abandoned.
 */
export async function saveImages(store: ImageStore, names: readonly string[], format: SaveFormat, tmpParent: string): Promise<AsyncIterable<Buffer>> {
  const set = resolveSaveNames(store, names);
  fs.mkdirSync(tmpParent, { recursive: true, mode: 0o700 });
  const out = fs.mkdtempSync(path.join(tmpParent, 'docker-export-'));
  try {
    await assemble(store, set, out, format);
  } catch (err) {
    fs.rmSync(out, { recursive: true, force: true });
    throw err;
  }
  async function* stream(): AsyncGenerator<Buffer> {
    try {
      yield* tarDirectory(out);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  return stream();
}
