/**
 * `docker rmi`, with the 20.10 engine's rules (daemon/images/image_delete.go):
 *
 * - Given a *name*, the name is untagged first. That is refused (unless
 *   forced) when it is the image's only name and a container was created
 *   from the image. The image itself is then deleted only if nothing else
 *   names it, and *quietly*: a conflict just leaves it (dangling if a running
 *   container uses it).
 * - Given an *ID* (or prefix), all names go at once if they all belong to one
 *   repository with at most one tag; otherwise the image "is referenced in
 *   multiple repositories" and must be forced.
 * - Hard conflicts (a child image, a running container) cannot be forced;
 *   soft ones (a name, a stopped container) can.
 * - After an image is deleted, its parent chain is pruned quietly: each
 *   parent that has no name, no other child and no container goes too.
 * - Each deleted image is followed by the layers (ChainIDs) that nothing
 *   holds any more, top first.
 */
import { imageDeleteConflict, imageReferenceInUse } from '../errors.js';
import {
  familiarString,
  isImageIdPrefix,
  parseDaemonNamed,
  tagNameOnly,
  type NamedReference,
} from '../reference/index.js';
import { fullName } from '../reference/reference.js';
import { isCanonical } from './reference-store.js';
import { short, type ImageStore } from './store.js';
import type { DeleteRecord } from './types.js';

const DEPENDENT_CHILD = 1;
const RUNNING_CONTAINER = 2;
const ACTIVE_REFERENCE = 4;
const STOPPED_CONTAINER = 8;
const HARD = DEPENDENT_CHILD | RUNNING_CONTAINER;
const SOFT = ACTIVE_REFERENCE | STOPPED_CONTAINER;

interface Conflict {
  hard: boolean;
  used: boolean;
  error: Error;
}

export interface DeleteOptions {
  force?: boolean;
  /** Delete untagged parents too (Docker's default; `--no-prune` turns it off). */
  prune?: boolean;
}

export function deleteImage(store: ImageStore, imageRef: string, options: DeleteOptions = {}): Promise<DeleteRecord[]> {
  const force = options.force ?? false;
  const prune = options.prune ?? true;
  return store.locked(() => {
    const records: DeleteRecord[] = [];
    const img = store.resolve(imageRef);
    const id = img.id;
    let repoRefs = store.refs.references(id);
    let removedRepositoryRef = false;

    if (!isImageIdPrefix(id, imageRef)) {
      if (!force && isSingleReference(repoRefs)) {
        const { running, stopped } = store.usage.isImageUsed(id);
        const container = running[0] ?? stopped[0];
        if (container !== undefined) throw imageReferenceInUse(imageRef, short(container), short(id));
      }
      const parsed = removeRef(store, parseDaemonNamed(imageRef));
      records.push({ untagged: familiarString(parsed) });
      repoRefs = store.refs.references(id);

      // Untagging the last tag of a repository also drops that repository's digests.
      if (!isCanonical(parsed)) {
        const sameRepoTag = repoRefs.some((r) => !isCanonical(r) && fullName(r) === fullName(parsed));
        if (!sameRepoTag) {
          const remaining: NamedReference[] = [];
          for (const r of repoRefs) {
            if (isCanonical(r) && fullName(r) === fullName(parsed)) {
              removeRef(store, r);
              records.push({ untagged: familiarString(r) });
            } else remaining.push(r);
          }
          repoRefs = remaining;
        }
      }
      if (repoRefs.length > 0) return records;
      removedRepositoryRef = true;
    } else if (isSingleReference(repoRefs)) {
      const mask = HARD | (force ? 0 : SOFT & ~ACTIVE_REFERENCE);
      const conflict = checkConflict(store, id, mask);
      if (conflict) throw conflict.error;
      for (const r of repoRefs) records.push({ untagged: familiarString(removeRef(store, r)) });
    }

    deleteHelper(store, id, records, force, prune, removedRepositoryRef);
    return records;
  });
}

/** All references in one repository, with at most one tag. */
function isSingleReference(refs: NamedReference[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  let single: NamedReference | null = null;
  const canonicalRepos = new Set<string>();
  for (const r of refs) {
    if (isCanonical(r)) canonicalRepos.add(fullName(r));
    else if (single === null) single = r;
    else return false;
  }
  single ??= refs[0]!;
  return canonicalRepos.size === 1 && canonicalRepos.has(fullName(single));
}

function removeRef(store: ImageStore, ref: NamedReference): NamedReference {
  const r = tagNameOnly(ref);
  store.refs.delete(r);
  return r;
}

function isDangling(store: ImageStore, id: string): boolean {
  return store.refs.references(id).length === 0 && store.children(id).length === 0;
}

function checkConflict(store: ImageStore, id: string, mask: number): Conflict | null {
  const conflict = (hard: boolean, used: boolean, reason: string): Conflict => ({
    hard,
    used,
    error: imageDeleteConflict(short(id), hard, reason),
  });
  if (mask & DEPENDENT_CHILD && store.children(id).length > 0) {
    return conflict(true, false, 'image has dependent child images');
  }
  const usage = mask & (RUNNING_CONTAINER | STOPPED_CONTAINER) ? store.usage.isImageUsed(id) : null;
  if (mask & RUNNING_CONTAINER && usage && usage.running.length > 0) {
    return conflict(true, true, `image is being used by running container ${short(usage.running[0]!)}`);
  }
  if (mask & ACTIVE_REFERENCE && store.refs.references(id).length > 0) {
    return conflict(false, false, 'image is referenced in multiple repositories');
  }
  if (mask & STOPPED_CONTAINER && usage && usage.stopped.length > 0) {
    return conflict(false, true, `image is being used by stopped container ${short(usage.stopped[0]!)}`);
  }
  return null;
}

function deleteHelper(
  store: ImageStore,
  id: string,
  records: DeleteRecord[],
  force: boolean,
  prune: boolean,
  quiet: boolean,
): void {
  const conflict = checkConflict(store, id, HARD | (force ? 0 : SOFT));
  if (conflict) {
    if (quiet && (!isDangling(store, id) || conflict.used)) return;
    throw conflict.error;
  }
  const parent = store.db.getMetadata(id, 'parent');
  for (const r of store.refs.references(id)) records.push({ untagged: familiarString(removeRef(store, r)) });
  const released = store.deleteRecord(id);
  records.push({ deleted: id });
  for (const chainId of released) records.push({ deleted: chainId });
  if (!prune || parent === null || !store.db.has(parent)) return;
  deleteHelper(store, parent, records, false, true, true);
}
