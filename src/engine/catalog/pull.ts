/**
 * `docker pull` from the offline catalog: the layers are generated from the
 * fixture spec and registered in the layer store, the config is stored, and
 * the tag and the repository digest point at it; the progress is what the
 * Docker CLI prints when its output is not a terminal:
 *
 *   Using default tag: latest                   (only when no tag was given)
 *   latest: Pulling from library/alpine
 *   0123456789ab: Pulling fs layer              ("Already exists" for a shared layer)
 *   0123456789ab: Verifying Checksum
 *   0123456789ab: Download complete
 *   0123456789ab: Pull complete
 *   Digest: sha256:…
 *   Status: Downloaded newer image for alpine:latest   ("Image is up to date for …")
 *   docker.io/library/alpine:latest
 *
 * Layer IDs are the first 12 hex digits of the layer blob's digest; catalog
 * layers are served uncompressed, so that is the DiffID.
 */
import { DaemonError, manifestUnknown, pullAccessDenied } from '../errors.js';
import type { Image, ImageStore } from '../images/index.js';
import {
  DEFAULT_DOMAIN,
  digestHex,
  familiarName,
  familiarString,
  fullString,
  parseUserReference,
  tagNameOnly,
  withDigest,
  type NamedReference,
} from '../reference/index.js';
import { Catalog } from './catalog.js';
import { chainIdsOf, configBytes, layerTarStream } from './generate.js';
import type { LayerSpec } from './spec.js';

export interface PullEvent {
  /** The 12-hex layer ID a status is about, or null for a whole-image line. */
  id: string | null;
  status: string;
}

export interface PullOptions {
  catalog?: Catalog;
  /** Called for each progress event as it happens. */
  onProgress?: (event: PullEvent) => void;
}

export interface PullResult {
  image: Image;
  /** The full reference pulled, the CLI's last line ("docker.io/library/alpine:latest"). */
  reference: string;
  digest: string;
  upToDate: boolean;
  /** Every line, as a non-terminal Docker CLI prints them. */
  lines: string[];
}

/** How a progress event reads on a non-terminal. */
export function pullEventLine(e: PullEvent): string {
  return e.id === null ? e.status : `${e.id}: ${e.status}`;
}

/** Docker pulls at most three layers at once; the others wait. */
const CONCURRENT_DOWNLOADS = 3;

let sharedCatalog: Catalog | null = null;

export async function pull(store: ImageStore, refText: string, options: PullOptions = {}): Promise<PullResult> {
  const lines: string[] = [];
  const emit = (id: string | null, status: string) => {
    const e = { id, status };
    lines.push(pullEventLine(e));
    options.onProgress?.(e);
  };
  let ref: NamedReference = parseUserReference(refText);
  if (ref.tag === null && ref.digest === null) {
    emit(null, 'Using default tag: latest');
    ref = tagNameOnly(ref);
  }
  // A tag and a digest together: the digest decides, as in Docker.
  if (ref.digest !== null) ref = withDigest(ref, ref.digest);

  const catalog = options.catalog ?? (sharedCatalog ??= new Catalog());
  const found = catalog.find(ref);
  if (!found) {
    if (ref.domain !== DEFAULT_DOMAIN) {
      const host = ref.domain.replace(/:\d+$/, '');
      throw new DaemonError(`Get "https://${ref.domain}/v2/": dial tcp: lookup ${host}: no such host`, 'REGISTRY_UNREACHABLE');
    }
    if (!catalog.hasRepository(ref)) throw pullAccessDenied(familiarName(ref));
    throw manifestUnknown(familiarString(ref));
  }
  const spec = found.spec;
  const pins = catalog.pins(spec);
  emit(null, `${ref.digest ?? ref.tag}: Pulling from ${ref.path}`);

  const upToDate = await store.locked(async () => {
    const digestRef = withDigest(ref, pins.digest);
    const existing = store.get(pins.id);
    if (existing) {
      const current = store.refs.get(ref);
      store.addReference(digestRef, pins.id);
      if (ref.digest === null) store.addReference(ref, pins.id);
      return current === pins.id;
    }
    await fetchLayers(store, spec.repository, spec.layers, pins.diffIds, emit);
    const image = await store.create(configBytes(spec, pins.diffIds));
    if (image.id !== pins.id) {
      throw new Error(`catalog: ${spec.repository} config is ${image.id}, pinned ${pins.id}`);
    }
    store.addReference(digestRef, pins.id);
    if (ref.digest === null) store.addReference(ref, pins.id);
    return false;
  });

  emit(null, `Digest: ${pins.digest}`);
  emit(null, `Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${familiarString(ref)}`);
  const reference = fullString(ref);
  emit(null, reference);
  return { image: store.get(pins.id)!, reference, digest: pins.digest, upToDate, lines };
}

async function fetchLayers(
  store: ImageStore,
  repository: string,
  layers: LayerSpec[],
  diffIds: string[],
  emit: (id: string | null, status: string) => void,
): Promise<void> {
  const chainIds = chainIdsOf(diffIds);
  const ids = diffIds.map((d) => digestHex(d).slice(0, 12));
  const missing = chainIds.map((c) => store.layers.get(c) === null);
  ids.forEach((id, i) => emit(id, missing[i] ? 'Pulling fs layer' : 'Already exists'));
  let queued = 0;
  ids.forEach((id, i) => {
    if (missing[i] && queued++ >= CONCURRENT_DOWNLOADS) emit(id, 'Waiting');
  });
  ids.forEach((id, i) => {
    if (!missing[i]) return;
    emit(id, 'Verifying Checksum');
    emit(id, 'Download complete');
  });
  let parent: string | null = null;
  for (let i = 0; i < layers.length; i++) {
    if (missing[i]) {
      const layer = await store.layers.register(layerTarStream(layers[i]!), parent);
      if (layer.diffId !== diffIds[i]) {
        throw new Error(`catalog: ${repository} layer ${i + 1} generated ${layer.diffId}, pinned ${diffIds[i]}`);
      }
      emit(ids[i]!, 'Pull complete');
    }
    parent = chainIds[i]!;
  }
}


