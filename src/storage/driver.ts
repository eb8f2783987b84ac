/**
 * Storage drivers: how mydock stores layers, in the spirit of Docker's graph
 * drivers and containerd's snapshotters.
 *
 * Vocabulary (one word for one thing, everywhere in mydock)
 * - A *layer* is a set of changes to a parent layer: files added or changed,
 *   and deletions. A driver knows a layer by its *id*, the random 64-hex
 *   "cache id" Docker uses as a directory name under `<root>/<driver>/`. A
 *   driver knows nothing of images, containers, DiffIDs or ChainIDs: that is
 *   the layer store's business (layer-store.ts).
 * - A layer is *active* from `create` until `freeze`: it can be written
 *   through `view(id)`. A *frozen* layer never changes again; image layers are
 *   frozen once their contents are applied, a container's writable layer stays
 *   active for its whole life. A frozen layer may be a parent; an active layer
 *   may not (as with containerd's `Commit`, a new child is created instead).
 * - The *view* of a layer is the union of the layer and all its ancestors, as
 *   the container sees it: reading resolves a path from the top layer down;
 *   writing goes to the top layer only.
 * - The canonical form of a changeset is the OCI layer tar: changed entries in
 *   full, deletions as whiteouts (`.wh.<name>`), a directory whose lower
 *   contents are hidden as an opaque marker (`.wh..wh..opq`). Drivers store
 *   whiteouts on disk in that same form (a real overlayfs would need mknod and
 *   root), and convert only at the edges (`changes`, export, import).
 *
 * Lifecycle
 *   create(id, parent) -> active layer (empty changeset)
 *     -> applyDiff(id, tar)      import a layer tar (image layers)
 *     -> view(id).open/mkdir/... write through the union (container layers)
 *   freeze(id)            -> read-only from now on
 *   changes(id) / diffSize(id) / exportDiff(id)   at any time
 *   remove(id)            the caller guarantees no child layer remains
 *
 * The two drivers
 * - overlay2: a layer's directory holds only its changes (`diff/`); reads go
 *   down the parent chain; the first write to a file found in a lower layer
 *   copies the whole file up (content, mode, owner, times) into the top layer;
 *   deleting a lower entry writes a whiteout; a directory removed and created
 *   again is made opaque. Layers are shared: n containers on one image cost n
 *   empty directories.
 * - vfs: `create` copies the parent's whole tree; each layer is a full,
 *   standalone tree. Nothing is shared, nothing is copied up later; changes
 *   are found by comparing with the parent's tree.
 *
 * Visibility: every operation that does storage work the user cannot see in
 * Docker (a copy-up and its bytes, a whiteout, an opaque directory, how deep a
 * lookup went, a full copy at create) is reported to the `DriverEvents` sink
 * the caller passes, so mydock can show traces and per-driver costs.
 *
 * Example: importing an image layer, then a container on it
 *   driver.create(baseId, null);
 *   await driver.applyDiff(baseId, tarStream);   // refuses entries outside the layer
 *   driver.freeze(baseId);
 *   driver.create(ctrId, baseId);
 *   const fs = driver.view(ctrId, { events });
 *   const h = fs.open('/etc/passwd', { write: true, append: true }); // copy-up event
 *   h.write(Buffer.from('x:1:1::/:/bin/sh\n')); h.close();
 *   driver.changes(ctrId);  // [{ kind: 'C', path: '/etc' }, { kind: 'C', path: '/etc/passwd' }]
 */
import type { Readable } from 'node:stream';
import type { FsBackend } from './backend.js';

export type DriverName = 'overlay2' | 'vfs';

export const DRIVER_NAMES: readonly DriverName[] = ['overlay2', 'vfs'];

/** One line of `docker diff`: A(dded), C(hanged), D(eleted). */
export interface Change {
  kind: 'A' | 'C' | 'D';
  /** Absolute container path, e.g. "/etc/passwd". */
  path: string;
}

export type DriverEvent =
  | { type: 'copy-up'; layer: string; path: string; bytes: number; fromLayer: string; depth: number }
  | { type: 'whiteout'; layer: string; path: string }
  | { type: 'opaque'; layer: string; path: string }
  | { type: 'lookup'; layer: string; path: string; depth: number; found: boolean }
  | { type: 'full-copy'; layer: string; fromLayer: string; bytes: number; files: number };

export interface DriverEvents {
  emit(event: DriverEvent): void;
}

export const NO_EVENTS: DriverEvents = { emit() {} };

/** What `inspect` shows as GraphDriver.Data, with real host paths. */
export type GraphDriverData = Record<string, string>;

export interface StorageDriver {
  readonly name: DriverName;
  /** `<root>/<driver name>`. */
  readonly home: string;

  /**
   * Creates an empty active layer on `parent` (a frozen layer) or on nothing.
   * `events` hears of the work done (vfs: the full copy of the parent).
   */
  create(id: string, parent: string | null, options?: { events?: DriverEvents }): void;
  exists(id: string): boolean;
  /** The parent id recorded at create. */
  parent(id: string): string | null;
  freeze(id: string): void;
  isFrozen(id: string): boolean;
  /** Deletes the layer's directory. The caller guarantees no child exists. */
  remove(id: string): void;

  /**
   * The union view of the layer stack ending at `id`. Writable while the layer
   * is active, unless `readOnly`; a frozen layer's view is always read-only.
   */
  view(id: string, options?: { readOnly?: boolean; events?: DriverEvents }): FsBackend;

  /** The layer's changes against its parent, sorted by path, parents listed as C. */
  changes(id: string): Change[];
  /** Sum of the sizes of regular files (and symlink targets' lengths) in the changeset, as Docker counts. */
  diffSize(id: string): number;
  /** Bytes this layer really occupies on the host (vfs: the whole copy; overlay2: its diff). */
  diskUsage(id: string): number;

  /** The changeset as an OCI layer tar, deterministic for the same tree. */
  exportDiff(id: string): Readable;
  /**
   * Applies an OCI layer tar to an active layer (whiteouts become deletions
   * of lower entries). Entries whose path or link target would land outside
   * the layer are refused with an error, never written.
   * Returns the changeset size as `diffSize` would compute it.
   */
  applyDiff(id: string, tar: Readable): Promise<number>;

  /**
   * Optional: moves the changes of active layer `from` into the new, empty
   * active layer `id` (any parent), leaving them as applying
   * `exportDiff(from)` to `id` would; `from` is left with no changes. For
   * drivers whose changesets do not depend on the parent (overlay2). Returns
   * the changeset size.
   */
  adoptDiff?(id: string, from: string): number;

  /** GraphDriver.Data for inspect (overlay2: LowerDir, MergedDir, UpperDir, WorkDir). */
  graphData(id: string): GraphDriverData;
}
