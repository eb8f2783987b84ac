/**
 * Which images `docker save NAME...` writes, and under which tags, as the
 * daemon's tarexporter.parseNames decides: an ID or ID prefix saves the
 * image untagged; a bare repository name saves every tag of it; a
 * name:tag saves that tag ("reference does not exist" when it names
 * nothing); a digest reference saves the image without a tag.
 */
import { noSuchImage, referenceDoesNotExist } from '../errors.js';
import type { Image, ImageStore } from '../images/index.js';
import { familiarName, fullName, fullString, parseDaemonReference, tagNameOnly, type NamedReference } from '../reference/index.js';

export interface SaveSet {
  image: Image;
  /** Tagged references, in the order they were first named. */
  refs: NamedReference[];
}

export function resolveSaveNames(store: ImageStore, names: readonly string[]): Map<string, SaveSet> {
  const out = new Map<string, SaveSet>();
  const add = (id: string, ref: NamedReference | null, asGiven: string): void => {
    let entry = out.get(id);
    if (!entry) {
      const image = store.get(id);
      if (!image) throw noSuchImage(asGiven);
      entry = { image, refs: [] };
      out.set(id, entry);
    }
    if (ref === null || ref.digest !== null) return;
    const tagged = tagNameOnly(ref);
    if (!entry.refs.some((r) => fullString(r) === fullString(tagged))) entry.refs.push(tagged);
  };
  const search = (name: string): string => {
    const id = store.searchId(name);
    if (id === null) throw noSuchImage(name);
    return id;
  };
  for (const name of names) {
    const ref = parseDaemonReference(name);
    if (ref.kind === 'digest') {
      add(ref.digest, null, name);
      continue;
    }
    if (familiarName(ref) === 'sha256') {
      add(search(name), null, name);
      continue;
    }
    if (ref.tag === null && ref.digest === null) {
      const assocs = store.refs.all().filter((a) => fullName(a.ref) === fullName(ref));
      for (const a of assocs) add(a.id, a.ref, name);
      if (assocs.length === 0) add(search(name), null, name);
      continue;
    }
    const id = store.refs.get(ref);
    if (id === null) throw referenceDoesNotExist();
    add(id, ref, name);
  }
  return out;
}
