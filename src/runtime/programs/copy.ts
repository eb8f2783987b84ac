/**
 * cp and mv, after busybox's copy_file/remove_file. File data moves through
 * open handles in chunks. mv renames, and copies then removes when the
 * rename crosses mounts (EXDEV), as busybox does.
 */
import type { ProcessFs } from '../fs/process-fs.js';
import type { FsStat } from '../../storage/backend.js';
import { has } from './lib/getopt.js';
import { CHUNK } from './lib/io.js';
import { joinPath, lastComponent, UMASK } from './lib/paths.js';
import { errText, isFsError, type Tool } from './lib/tool.js';

interface CopyOpts {
  recursive: boolean;
  /** Copy symlinks as links (-P/-d, default with -R). */
  noDeref: boolean;
  /** Follow symlinks named on the command line (-H). */
  derefTop: boolean;
  preserve: boolean;
  force: boolean;
  noClobber: boolean;
  /** mv's copy: keep everything, never follow links. */
  forMove: boolean;
}

export function copyData(fs: ProcessFs, from: string, to: string, mode: number, force: boolean): void {
  const src = fs.open(from, { read: true });
  try {
    let dst;
    try {
      dst = fs.open(to, { write: true, create: true, truncate: true, mode });
    } catch (e) {
      // cp -f: remove a destination that cannot be opened, then retry.
      if (!force || !isFsError(e) || e.code === 'ENOENT') throw e;
      fs.unlink(to);
      dst = fs.open(to, { write: true, create: true, truncate: true, mode });
    }
    try {
      const buf = new Uint8Array(CHUNK);
      for (;;) {
        const n = src.read(buf, 0, CHUNK, null);
        if (n <= 0) break;
        let off = 0;
        while (off < n) off += dst.write(buf, off, n - off);
      }
    } finally {
      dst.close();
    }
  } finally {
    src.close();
  }
}

class Copier {
  ok = true;
  constructor(
    private readonly t: Tool,
    private readonly o: CopyOpts,
  ) {}

  private get fs(): ProcessFs {
    return this.t.ctx.fs;
  }

  private async fail(msg: string): Promise<false> {
    await this.t.err(msg);
    this.ok = false;
    return false;
  }

  async copy(src: string, dest: string, top: boolean): Promise<boolean> {
    const fs = this.fs;
    const follow = !this.o.noDeref || (top && this.o.derefTop);
    let st: FsStat;
    try {
      st = follow ? fs.stat(src) : fs.lstat(src);
    } catch (e) {
      return this.fail(`can't stat '${src}': ${statText(e)}`);
    }
    const dst = fs.tryLstat(dest);
    if (dst && dst.ino === st.ino && fs.realpath(dest) === fs.realpath(src)) {
      return this.fail(`'${src}' and '${dest}' are the same file`);
    }
    if (st.type === 'dir') {
      if (!this.o.recursive) return this.fail(`omitting directory '${src}'`);
      const srcReal = fs.realpath(src);
      const destReal = fs.realpath(dest, { allowMissingLeaf: true });
      if (destReal === srcReal || destReal.startsWith(srcReal + '/')) return this.fail(`recursion detected, omitting directory '${dest}'`);
      if (dst && dst.type !== 'dir' && !(dst.type === 'symlink' && fs.tryStat(dest)?.type === 'dir')) {
        return this.fail(`target '${dest}' is not a directory`);
      }
      if (!dst) {
        try {
          fs.mkdir(dest, { mode: (st.mode & 0o777) | 0o700 });
        } catch (e) {
          return this.fail(`can't create directory '${dest}': ${errText(e)}`);
        }
      }
      let names: string[];
      try {
        names = fs.readdir(src);
      } catch (e) {
        return this.fail(`can't open '${src}': ${errText(e)}`);
      }
      let ok = true;
      for (const n of names) if (!(await this.copy(joinPath(src, n), joinPath(dest, n), false))) ok = false;
      this.finish(dest, st, true);
      return ok;
    }
    if (dst && this.o.noClobber) return true;
    if (st.type === 'symlink') {
      try {
        if (dst) fs.unlink(dest);
        fs.symlink(fs.readlink(src), dest);
        if (this.o.preserve) fs.chown(dest, st.uid, st.gid, { noFollow: true });
      } catch (e) {
        return this.fail(`can't create symlink '${dest}': ${errText(e)}`);
      }
      return true;
    }
    if (st.type !== 'file') {
      // Devices and fifos cannot be made through ProcessFs; busybox would mknod them.
      return this.fail(`can't create '${dest}': Operation not permitted`);
    }
    if (dst && dst.type === 'dir') return this.fail(`can't create '${dest}': Is a directory`);
    try {
      fs.open(src, { read: true }).close();
    } catch (e) {
      return this.fail(`can't open '${src}': ${errText(e)}`);
    }
    try {
      copyData(fs, src, dest, this.o.preserve ? st.mode & 0o7777 : st.mode & 0o777 & ~UMASK, this.o.force);
    } catch (e) {
      return this.fail(`can't create '${dest}': ${errText(e)}`);
    }
    this.finish(dest, st, false);
    return true;
  }

  /** Attributes after the content: directories get theirs after their entries. */
  private finish(dest: string, st: FsStat, isDir: boolean): void {
    const fs = this.fs;
    if (this.o.preserve) {
      try {
        fs.chown(dest, st.uid, st.gid);
      } catch {
        // busybox ignores a failed chown when preserving (it may not be root).
      }
      fs.chmod(dest, st.mode & 0o7777);
      fs.utimes(dest, st.atimeMs, st.mtimeMs);
    } else if (isDir) {
      fs.chmod(dest, st.mode & 0o777 & ~UMASK);
    }
  }
}

function statText(e: unknown): string {
  // busybox's own wording when a path component is a file.
  if (isFsError(e, 'ENOTDIR')) return 'Path has non-directory component';
  return errText(e);
}

export async function cp(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'arRPdLHpfinlsTut:v', long: { archive: { key: 'a', arg: 'none' }, recursive: { key: 'R', arg: 'none' }, force: { key: 'f', arg: 'none' }, 'target-directory': { key: 't', arg: 'required' } } });
  const recursive = has(o, 'r') || has(o, 'R') || has(o, 'a');
  const opts: CopyOpts = {
    recursive,
    noDeref: (recursive || has(o, 'P') || has(o, 'd') || has(o, 'a')) && !has(o, 'L'),
    derefTop: has(o, 'H'),
    preserve: has(o, 'p') || has(o, 'a'),
    force: has(o, 'f'),
    noClobber: has(o, 'n'),
    forMove: false,
  };
  const target = o.values.get('t')?.[0];
  const args = target !== undefined ? [...o.args, target] : o.args;
  if (args.length < 2) return t.usage();
  const sources = args.slice(0, -1);
  const dest = args[args.length - 1]!;
  const fs = t.ctx.fs;
  const dst = fs.tryStat(dest);
  const intoDir = !has(o, 'T') && ((dst !== null && dst.type === 'dir') || sources.length > 1);
  const c = new Copier(t, opts);
  for (const s of sources) await c.copy(s, intoDir ? joinPath(dest, lastComponent(s)) : dest, true);
  return c.ok ? 0 : 1;
}

export async function mv(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'finTt:v', long: { force: { key: 'f', arg: 'none' }, 'target-directory': { key: 't', arg: 'required' } } });
  const target = o.values.get('t')?.[0];
  const args = target !== undefined ? [...o.args, target] : o.args;
  if (args.length < 2) return t.usage();
  const sources = args.slice(0, -1);
  const dest = args[args.length - 1]!;
  const fs = t.ctx.fs;
  const dst = fs.tryStat(dest);
  const intoDir = !has(o, 'T') && dst !== null && dst.type === 'dir';
  if (sources.length > 1 && !intoDir) return t.die(`'${dest}' is not a directory`);
  let status = 0;
  for (const s of sources) {
    const to = intoDir ? joinPath(dest, lastComponent(s)) : dest;
    if (has(o, 'n') && fs.tryLstat(to)) continue;
    try {
      fs.rename(s, to);
      if (has(o, 'v')) await t.out(`'${s}' -> '${to}'\n`);
      continue;
    } catch (e) {
      if (!isFsError(e, 'EXDEV')) {
        await t.err(`can't rename '${s}': ${errText(e)}`);
        status = 1;
        continue;
      }
    }
    // Across mounts: copy everything, then remove the source.
    const c = new Copier(t, { recursive: true, noDeref: true, derefTop: false, preserve: true, force: true, noClobber: false, forMove: true });
    const existing = fs.tryLstat(to);
    if (existing && existing.type !== 'dir') fs.unlink(to);
    if (!(await c.copy(s, to, true))) {
      status = 1;
      continue;
    }
    try {
      fs.rm(s, { recursive: true });
    } catch (e) {
      await t.err(`can't remove '${s}': ${errText(e)}`);
      status = 1;
    }
  }
  return status;
}
