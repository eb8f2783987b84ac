/**
 * `docker import`: a root filesystem tar (gzip allowed) becomes a one-layer
 * image, as the daemon's ImageService.ImportImage does. The layer is the
 * stream exactly as given (its sha256 is the DiffID, so the same tar gives
 * the same layer in Docker and mydock); the config holds the `--change`d
 * container config, the message as comment and one history row. The image
 * ID differs per import because the config records the time.
 */
import type { Readable } from 'node:stream';
import type { ImageConfig, ImageStore } from '../images/index.js';
import { parseNormalizedNamed, ReferenceParseError, tagNameOnly, type NamedReference } from '../reference/index.js';
import { daemonInvalidReference } from '../errors.js';
import { DOCKER_VERSION } from '../build/commit.js';
import { applyImportChanges } from './changes.js';
import { decompressStream } from './decompress.js';
import { importDigestRefused, importTarError } from './errors.js';
import { withTarErrors } from './tar-errors.js';

export interface ImportRequest {
  /** The tar, possibly compressed. */
  source: AsyncIterable<Buffer | Uint8Array | string> | Readable;
  /**
   * Where it came from as the API names it: "-" for a stream. The Docker
   * CLI uploads a local file as a stream too, so this is "-" unless a URL
   * was given.
   */
  sourceName?: string;
  /** "name[:tag]" to tag the image with; checked by the CLI first. */
  repository?: string;
  /** `-m`: the comment; default "Imported from <sourceName>". */
  message?: string;
  /** `-c`: Dockerfile instructions applied to the config. */
  changes?: readonly string[];
}

function importReference(repository: string): NamedReference {
  let ref: NamedReference;
  try {
    ref = parseNormalizedNamed(repository, 'daemon');
  } catch (err) {
    if (err instanceof ReferenceParseError) throw daemonInvalidReference(err.message, repository);
    throw err;
  }
  if (ref.digest !== null) throw importDigestRefused();
  return tagNameOnly(ref);
}

/** Imports the tar and returns the new image's ID ("sha256:…"). */
export async function importImage(store: ImageStore, request: ImportRequest): Promise<string> {
  const ref = request.repository ? importReference(request.repository) : null;
  // The changes are checked before the upload is read, as the daemon does.
  const config = applyImportChanges({}, request.changes ?? []);
  const message = request.message || `Imported from ${request.sourceName ?? '-'}`;
  const layer = await withTarErrors(async () => store.layers.register(await decompressStream(request.source), null), importTarError);
  const created = store.now();
  const image: ImageConfig = {
    architecture: 'amd64',
    comment: message,
    config,
    created,
    docker_version: DOCKER_VERSION,
    history: [{ created, comment: message }],
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  };
  return store.locked(async () => {
    const img = await store.createFromConfig(image);
    if (ref) store.addReference(ref, img.id, { touch: true });
    return img.id;
  });
}
