/**
 * What an image archive says about its images, in one shape whichever
 * layout it has: the `manifest.json` that both the legacy (20.10) and the
 * OCI-layout (25+) `docker save` write, or, for a plain OCI image layout
 * (skopeo, buildah, `docker buildx --output type=oci`), what `index.json`
 * and the manifests it points at give.
 */
import type { ArchiveDir } from './archive-dir.js';
import { ClientError } from '../errors.js';

/** image/tarexport's manifestItem. */
export interface ManifestItem {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
  Parent?: string;
}

export const MANIFEST_FILE = 'manifest.json';
export const INDEX_FILE = 'index.json';
export const OCI_LAYOUT_FILE = 'oci-layout';
export const REPOSITORIES_FILE = 'repositories';

const IMAGE_NAME = 'io.containerd.image.name';
const REF_NAME = 'org.opencontainers.image.ref.name';

const MANIFEST_TYPES = new Set(['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']);
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new ClientError(`invalid ${what}: ${(err as Error).message}`, 'INVALID_MANIFEST');
  }
}

export function blobPath(digest: string): string {
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(digest);
  if (!m) throw new ClientError(`invalid digest ${JSON.stringify(digest)}`, 'INVALID_MANIFEST');
  return `blobs/${m[1]}/${m[2]}`;
}

export function readManifestJson(dir: ArchiveDir): ManifestItem[] | null {
  const bytes = dir.readFile(MANIFEST_FILE);
  if (bytes === null) return null;
  const items = parseJson<unknown>(bytes, 'manifest');
  if (items === null) return [];
  if (!Array.isArray(items)) {
    // json.Decoder's text for a manifest that is not a list.
    throw new ClientError(`json: cannot unmarshal ${typeof items === 'object' ? 'object' : typeof items} into Go value of type []tarexport.manifestItem`, 'INVALID_MANIFEST');
  }
  return (items as ManifestItem[]).map((m) => ({ ...m, Layers: m.Layers ?? [], RepoTags: m.RepoTags ?? null }));
}

/** The name an index entry tags its image with, if any ("docker.io/library/x:1", or a ref.name that is a full reference). */
function tagOf(d: Descriptor): string | null {
  const name = d.annotations?.[IMAGE_NAME];
  if (name) return name;
  const ref = d.annotations?.[REF_NAME];
  // A bare tag ("latest") names no repository: the image loads untagged.
  return ref && /[/:]/.test(ref) ? ref : null;
}

/** Picks linux/amd64 (or the first linux image) from an image index. */
function pickPlatform(entries: Descriptor[]): Descriptor[] {
  const linux = entries.filter((d) => !d.platform || d.platform.os === 'linux');
  const amd64 = linux.filter((d) => !d.platform || d.platform.architecture === 'amd64');
  return (amd64.length ? amd64 : linux).slice(0, 1);
}

/** manifest.json items equivalent to a plain OCI image layout. */
export function readOciIndex(dir: ArchiveDir): ManifestItem[] | null {
  const bytes = dir.readFile(INDEX_FILE);
  if (bytes === null) return null;
  const index = parseJson<{ manifests?: Descriptor[] | null }>(bytes, 'index.json');
  const byDigest = new Map<string, ManifestItem>();
  const out: ManifestItem[] = [];
  const visit = (d: Descriptor, tag: string | null, depth: number): void => {
    if (depth > 8) throw new ClientError('invalid index.json: nested too deep', 'INVALID_MANIFEST');
    const blob = dir.readFile(blobPath(d.digest));
    if (blob === null) throw new ClientError(`open ${blobPath(d.digest)}: no such file or directory`, 'LOAD_MISSING_FILE');
    const doc = parseJson<{ mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(blob, 'manifest');
    const type = d.mediaType ?? doc.mediaType ?? '';
    if (INDEX_TYPES.has(type) || (doc.manifests && !doc.config)) {
      for (const child of pickPlatform(doc.manifests ?? [])) visit(child, tag, depth + 1);
      return;
    }
    if (!MANIFEST_TYPES.has(type) && !doc.config) return;
    let item = byDigest.get(d.digest);
    if (!item) {
      item = { Config: blobPath(doc.config!.digest), RepoTags: null, Layers: (doc.layers ?? []).map((l) => blobPath(l.digest)) };
      byDigest.set(d.digest, item);
      out.push(item);
    }
    if (tag !== null) (item.RepoTags ??= []).push(tag);
  };
  for (const d of index.manifests ?? []) visit(d, tagOf(d), 0);
  return out;
}
