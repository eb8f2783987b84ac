/**
 * `docker export`: a container's root filesystem as one tar: the image's
 * layers, the init layer (empty /etc/hostname, /etc/hosts,
 * /etc/resolv.conf, /.dockerenv, /dev, /proc, /sys mount points) and the
 * writable layer, merged. Mounts (volumes, binds, tmpfs) are not part of
 * it: Docker archives the container's rootfs without them, and the layer
 * store's view of the writable layer never contains them. Entries are
 * written as moby's TarWithOptions writes them: walk order, no "./"
 * prefix, the root left out.
 */
import type { LayerStore } from '../../storage/layer-store.js';
import { exportLayerTree } from '../../storage/tar/export.js';

/** The tar of the container's merged filesystem, generated lazily. */
export function exportContainerFs(layers: LayerStore, containerId: string): Iterable<Buffer> {
  // The view is opened now, so that a container without a layer fails before anything is written.
  const view = layers.rwView(containerId, { readOnly: true });
  return exportLayerTree(view);
}
