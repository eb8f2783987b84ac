/**
 * Binds the container service's ImagePort to the image store, and tells
 * the image store which images and layers containers use (ImageUsage), so
 * `rmi` refuses (or only untags) an image a container was created from.
 */
import type { Image, ImageStore, ImageUsage } from '../images/index.js';
import type { ImageInfo, ImagePort, ImageRunConfig } from './ports.js';
import type { ContainerStore } from './store.js';

export function imageInfo(store: ImageStore, img: Image): ImageInfo {
  return {
    id: img.id,
    config: (img.config.config ?? {}) as ImageRunConfig,
    topLayer: img.topLayer,
    size: store.size(img),
    repoTags: store.repoTags(img.id),
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
    byId(id) {
      const img = store.get(id);
      return img ? imageInfo(store, img) : null;
    },
    async commit() {
      throw new Error('commit is not available yet');
    },
  };
}

export function containerImageUsage(containers: ContainerStore, layerParent: (containerId: string) => string | null): ImageUsage {
  return {
    isImageUsed(imageId) {
      const running: string[] = [];
      const stopped: string[] = [];
      for (const c of containers.all()) {
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
