/**
 * Path resolution as the kernel does it inside a chroot, over a mount table.
 *
 * The walk keeps a stack of canonical components (the physical path reached
 * so far) and a queue of components still to walk. Each named component is
 * looked up with `lstat` on the backend that owns the prefix, so crossing
 * into (or out of) a mount is just a different answer from the mount table.
 * - ".." pops the stack, and at "/" stays at "/": because the stack is
 *   physical, ".." from a mount's root lands in the directory that holds the
 *   mount point, never in the backend's host parent.
 * - A symlink met before the last component (or at the last one when the
 *   operation follows) replaces itself by its target's components: an
 *   absolute target empties the stack (the container's "/"), a relative one
 *   continues from the link's directory. More than 40 links: ELOOP.
 * - A non-directory met where a directory is needed: ENOTDIR.
 *
 * Backends only ever receive paths built from the stack, whose components
 * were each produced by `splitPath` and are never "", "." or "..": no input
 * can name anything outside a backend's root.
 */
import { FsError, type FsStat } from '../../storage/backend.js';
import type { Mount, MountTable } from './mount-table.js';
import { checkProgramPath, isName, joinComponents, NAME_MAX, splitPath } from './path.js';
import { permits, ROOT_USER, type FsUser } from './permissions.js';

/** Linux's MAXSYMLINKS. */
export const MAX_SYMLINKS = 40;

export interface ResolveOptions {
  /** Follow a symlink in the final component (stat, open) or not (lstat, unlink, rename). */
  follow: boolean;
  /** Return a result with `stat: null` when only the final component is missing (create, mkdir). */
  allowMissing?: boolean;
  /** The syscall named in errors. */
  syscall?: string;
  /** Checked for search (x) permission on every directory walked through. */
  user?: FsUser;
}

export interface Resolved {
  /** Canonical container path of the result (of the missing entry, when `stat` is null). */
  path: string;
  components: string[];
  mount: Mount;
  /** The result's path in `mount.backend`: normalised and absolute. */
  rel: string;
  /** lstat of the result; null when it does not exist (only with allowMissing). */
  stat: FsStat | null;
  /** The program path ended in "/" (or "/." ...): the result must be a directory. */
  mustBeDir: boolean;
}

export class Resolver {
  constructor(readonly table: MountTable) {}

  /**
   * Resolves a program path against a canonical working directory.
   * Errors carry `path` exactly as given.
   */
  resolve(path: string, cwd: readonly string[], options: ResolveOptions): Resolved {
    const syscall = options.syscall ?? '';
    checkProgramPath(path, syscall);
    const user = options.user ?? ROOT_USER;
    const fail = (code: 'ENOENT' | 'ENOTDIR' | 'ELOOP' | 'EACCES' | 'ENAMETOOLONG'): never => {
      throw new FsError(code, path, syscall);
    };

    const stack: string[] = path.startsWith('/') ? [] : [...cwd];
    const queue = splitPath(path);
    // "dir/", "dir/." and "dir/.." name a directory: a symlink there is
    // followed even by lstat, and a non-directory is ENOTDIR.
    const mustBeDir = path.endsWith('/') || /(^|\/)\.\.?$/.test(path);
    let links = 0;
    // lstat of the entry at the top of the stack, when known.
    let top: FsStat | null = null;
    // lstat answers for the components next in `queue`, from one walk of the backend (see `lookAhead`).
    let ahead: (FsStat | null)[] = [];

    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === '.') {
        ahead = [];
        continue;
      }
      if (c === '..') {
        stack.pop();
        top = null;
        ahead = [];
        continue;
      }
      if (c.length > NAME_MAX) fail('ENAMETOOLONG');
      if (user.uid !== 0) {
        top ??= this.lstatAt(stack);
        if (top !== null && !permits(top, user, 'x')) fail('EACCES');
      }
      const isLast = queue.length === 0;
      stack.push(c);
      const { mount, rel } = this.table.lookup(stack);
      if (ahead.length === 0) ahead = this.lookAhead(stack, mount, rel, queue);
      const st = ahead.shift() ?? null;
      if (st === null) {
        if (isLast && options.allowMissing) {
          return { path: joinComponents(stack), components: stack, mount, rel, stat: null, mustBeDir };
        }
        return fail('ENOENT');
      }
      if (st.type === 'symlink' && (!isLast || options.follow || mustBeDir)) {
        if (++links > MAX_SYMLINKS) fail('ELOOP');
        const target = mount.backend.readlink(rel);
        if (target === '') fail('ENOENT');
        stack.pop();
        if (target.startsWith('/')) stack.length = 0;
        queue.unshift(...splitPath(target));
        top = null;
        ahead = [];
        continue;
      }
      if (!isLast && st.type !== 'dir') fail('ENOTDIR');
      top = st;
    }

    const { mount, rel } = this.table.lookup(stack);
    const stat = top ?? mount.backend.lstat(rel);
    if (stat === null) return fail('ENOENT');
    if (mustBeDir && stat.type !== 'dir') fail('ENOTDIR');
    return { path: joinComponents(stack), components: stack, mount, rel, stat, mustBeDir };
  }

  /**
   * lstat of the entry just pushed on `stack` (backend path `rel`) and, when
   * the backend can walk, of the plain names that follow it in `queue` on
   * the same mount, in one call: the answers line up with those names and
   * stop after the first missing entry or non-directory. A backend that
   * checks every directory above a path on each call (a container's
   * writable layer) then walks a path once instead of once per component.
   */
  private lookAhead(stack: readonly string[], mount: Mount, rel: string, queue: readonly string[]): (FsStat | null)[] {
    const backend = mount.backend;
    if (backend.lstatWalk === undefined || rel === '/' || queue.length === 0) return [backend.lstat(rel)];
    let plain = 0;
    while (plain < queue.length && isName(queue[plain]) && queue[plain].length <= NAME_MAX) plain++;
    const more = this.table.namesOnSameMount(stack, queue.slice(0, plain));
    if (more === 0) return [backend.lstat(rel)];
    const slash = rel.lastIndexOf('/');
    const dir = slash === 0 ? '/' : rel.slice(0, slash);
    return backend.lstatWalk(dir, [stack[stack.length - 1], ...queue.slice(0, more)]);
  }

  /** lstat of a canonical path, through whichever mount owns it. */
  lstatAt(components: readonly string[]): FsStat | null {
    const { mount, rel } = this.table.lookup(components);
    return mount.backend.lstat(rel);
  }
}
