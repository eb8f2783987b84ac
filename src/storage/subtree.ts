/**
 * Bulk writes into a writable layer: a backend over one directory of the
 * layer's own tree, for a caller that writes a whole new subtree (the
 * builder's COPY of a directory) and should not pay a union lookup per
 * entry. Only given where writing straight into the layer is what writing
 * through the view would do (see UnionView.exclusiveSubtree); null
 * elsewhere, and the caller then writes through the view.
 */
import type { FsBackend } from './backend.js';
import { HostDirBackend } from './host-dir.js';
import { UnionView } from './union-view.js';

export function writableSubtree(view: FsBackend, p: string): HostDirBackend | null {
  if (view.readOnly) return null;
  if (view instanceof UnionView) return view.exclusiveSubtree(p);
  // vfs: a layer is a full tree, so its directories are the layer's own.
  if (view instanceof HostDirBackend) return view.subtree(p);
  return null;
}
