/**
 * Whiteouts, as the OCI image spec and moby's pkg/archive name them. A layer
 * stores a deletion of `name` as an empty file `.wh.<name>` beside it, and a
 * directory whose lower contents are hidden holds an empty `.wh..wh..opq`.
 * This is the form both on disk and in layer tars (see driver.ts).
 */

export const WHITEOUT_PREFIX = '.wh.';
/** Names starting with this are reserved for metadata, never user files. */
export const WHITEOUT_META_PREFIX = '.wh..wh.';
export const WHITEOUT_OPAQUE_DIR = '.wh..wh..opq';
/** Hard-link directory used by AUFS-era layers; never shown, never exported as a file. */
export const WHITEOUT_LINK_DIR = '.wh..wh.plnk';

export function isWhiteoutName(name: string): boolean {
  return name.startsWith(WHITEOUT_PREFIX);
}

/** `.wh.foo` -> `foo`; null for the opaque marker and other metadata names. */
export function whitedOutName(name: string): string | null {
  if (!name.startsWith(WHITEOUT_PREFIX) || name.startsWith(WHITEOUT_META_PREFIX)) return null;
  const rest = name.slice(WHITEOUT_PREFIX.length);
  return rest === '' ? null : rest;
}

export function whiteoutFor(name: string): string {
  return WHITEOUT_PREFIX + name;
}
