/**
 * Binds the container service's ImagePort to the image store, and tells
 * the image store which images and layers containers use (ImageUsage), so
 * `rmi` refuses (or only untags) an image a container was created from.
 */
import type { Image, ImageStore, ImageUsage } from '../images/index.js';
import type { Readable } from 'node:stream';
import type { HistoryEntry, ImageConfig } from '../images/index.js';
import { parseDaemonNamed } from '../reference/index.js';
import type { CommitRequest, ImageInfo, ImagePort, ImageRunConfig } from './ports.js';

/** The DiffID of a layer with no changes (1024 zero bytes): commit records it as an empty history row, no layer. */
const EMPTY_LAYER_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** moby's CommitImage: the writable layer as a new layer on the image, a history row, the container's config. */
export async function commitImage(store: ImageStore, req: CommitRequest): Promise<string> {
  const parent = store.get(req.parentId);
  const parentConfig: Partial<ImageConfig> = parent?.config ?? {};
  const layer = await store.layers.register(req.layer as unknown as Readable, parent?.topLayer ?? null);
  const created = store.now();
  const empty = layer.diffId === EMPTY_LAYER_DIFF_ID;
  const row: HistoryEntry = { created };
  if (req.author) row.author = req.author;
  row.created_by = req.createdBy;
  if (req.comment) row.comment = req.comment;
  if (empty) row.empty_layer = true;
  const diffIds = [...(parentConfig.rootfs?.diff_ids ?? [])];
  if (!empty) diffIds.push(layer.diffId);
  const config: ImageConfig = {
    architecture: parentConfig.architecture ?? 'amd64',
    config: req.config as ImageConfig['config'],
    container: req.containerId,
    container_config: req.containerConfig as ImageConfig['container_config'],
    created,
    docker_version: '20.10.24+dfsg1',
    history: [...(parentConfig.history ?? []), row],
    os: parentConfig.os ?? 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  // Docker keeps the message in the history row only, and the parent in the image metadata, not in the config.
  if (req.author) config.author = req.author;
  const img = await store.createFromConfig(config, { parent: parent?.id ?? null });
  if (req.reference) store.addReference(parseDaemonNamed(req.reference), img.id, { touch: true });
  return img.id;
}
import type { ContainerStore } from './store.js';

export function imageInfo(store: ImageStore, img: Image): ImageInfo {
  let repoTags: string[] | undefined;
  return {
    id: img.id,
    config: (img.config.config ?? {}) as ImageRunConfig,
    topLayer: img.topLayer,
    size: store.size(img),
    // Read when asked: it parses every reference in repositories.json, which `ps` never needs.
    get repoTags(): string[] {
      return (repoTags ??= store.repoTags(img.id));
    },
  };
}

export function imagePortFor(store: ImageStore): ImagePort {
  return {
    resolve(nameOrId) {
      try {
        return imageInfo(store, store.resolve(nameOrId));
      } catch (err) {
        if ((err as { code?: string }).code === 'NO_SUCH_IMAGE') return null;
        throw err;
      }
    },
    resolveId(nameOrId) {
      return store.resolveId(nameOrId);
    },
    byId(id) {
      const img = store.get(id);
      return img ? imageInfo(store, img) : null;
    },
    async commit(req) {
      return commitImage(store, req);
    },
    async pull(reference, onLine) {
      // The progress lines `run` shows (on stderr); `docker pull` alone adds the final reference line.
      const { pull, pullEventLine } = await import('../catalog/index.js');
      const { fullString, parseUserReference } = await import('../reference/index.js');
      const finalLine = fullString(parseUserReference(reference));
      await pull(store, reference, {
        onProgress: (e) => {
          if (e.id === null && e.status === finalLine) return;
          onLine(pullEventLine(e) + '\n');
        },
      });
    },
  };
}

export function containerImageUsage(containers: ContainerStore, layerParent: (containerId: string) => string | null): ImageUsage {
  return {
    isImageUsed(imageId) {
      const running: string[] = [];
      const stopped: string[] = [];
      for (const c of containers.listed()) {
        if (c.record.Image !== imageId) continue;
        (c.record.State.Running ? running : stopped).push(c.record.ID);
      }
      return { running, stopped };
    },
    *layersInUse() {
      for (const id of containers.ids()) {
        const parent = layerParent(id);
        if (parent) yield parent;
      }
    },
  };
}
