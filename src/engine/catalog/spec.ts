/**
 * How an offline catalog image is described (`fixtures/images/*.json`): not
 * its bytes but a recipe that rebuilds the very same bytes on every machine.
 *
 * Each layer lists its entries; paths are relative to "/". Parent
 * directories are implied (mode 0755). Every entry of a layer gets the
 * layer's `mtime` and owner 0:0. A layer's `size` is its size as Docker
 * counts it (regular file bytes plus symlink target lengths; hard links and
 * directories count nothing), and one entry may be `rest: true`: its size is
 * whatever makes the layer come out at exactly `size`.
 *
 * Entry kinds:
 *   { dir, mode? }                          a directory (only needed for special modes)
 *   { file, text, mode? }                   a text file with real contents (scripts too)
 *   { file, program, size, mode? }          an emulated binary of the real program's size
 *   { file, filler, mode? }                 deterministic data of that many bytes
 *   { file, rest: true, mode? }             filler sized to complete the layer
 *   { symlink, target }                     a symbolic link
 *   { hardlink, target }                    a hard link to an earlier entry's path
 *   { symlinks: { target, paths } }         many links to one target (busybox applets)
 *   { hardlinks: { target, paths } }
 *   { programs: { dir, sizes, mode? } }     one emulated binary per name, each its own size
 *   { whiteout }                            deletes a lower layer's path (".wh.<name>")
 *
 * `config` is the image config without `rootfs.diff_ids`, which generation
 * fills in. `pins` records what generation must produce (checked by tests
 * and at pull time), so a pull knows its IDs before generating anything.
 */
import type { ImageConfig } from '../images/config.js';

export type EntrySpec =
  | { dir: string; mode?: string }
  | { file: string; text: string; mode?: string }
  | { file: string; program: string; size: number; mode?: string }
  | { file: string; filler: number; mode?: string }
  | { file: string; rest: true; mode?: string }
  | { symlink: string; target: string }
  | { hardlink: string; target: string }
  | { symlinks: { target: string; paths: string[] } }
  | { hardlinks: { target: string; paths: string[] } }
  | { programs: { dir: string; sizes: Record<string, number>; mode?: string } }
  | { whiteout: string };

export interface LayerSpec {
  size: number;
  /** Seconds since the epoch, for every entry. */
  mtime: number;
  /** created_by of the history row, for people reading the fixture. */
  comment?: string;
  entries: EntrySpec[];
}

export interface ImagePins {
  diffIds: string[];
  /** The image ID (sha256 of the config bytes). */
  id: string;
  /** The manifest digest shown as RepoDigest / "Digest:". */
  digest: string;
  /** Sum of the layers' sizes. */
  size: number;
}

export interface ImageSpec {
  /** Familiar repository name: "alpine", "mysql". */
  repository: string;
  tags: string[];
  layers: LayerSpec[];
  config: ImageConfig;
  pins?: ImagePins;
}
