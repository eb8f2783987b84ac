/**
 * Where COPY and ADD read from: the build context, or (`--from`) the
 * filesystem of an earlier stage or of an image. Both are trees with the
 * same small interface, so the copy code does not care which, and both hash
 * their entries with tarsum v1 as the daemon does (the context's entries as
 * the CLI's tar records them, 0:0; an image's with its real owners).
 */
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { BuildContext } from './context/context.js';
import { hashStringSlice, tarsumStart } from './context/tarsum.js';

export interface SourceEntry {
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  linkname: string;
}

export interface SourceTree {
  /** Entry at a relative path ("" is the root), symlinks not followed. */
  get(p: string): SourceEntry | null;
  children(dir: string): string[];
  read(p: string): Buffer;
  /** Follows symlinks without leaving the tree; null when missing. */
  resolve(p: string): string | null;
  /** "file:<sum>" or "dir:<hash>" of what a COPY of `p` copies. */
  sourceHash(p: string): string;
}

export class ContextTree implements SourceTree {
  constructor(private readonly ctx: BuildContext) {}
  get(p: string): SourceEntry | null {
    const e = this.ctx.get(p);
    return e ? { type: e.type, mode: e.mode, uid: 0, gid: 0, size: e.size, mtimeMs: e.mtimeMs, linkname: e.linkname } : null;
  }
  children(dir: string): string[] {
    return this.ctx.children(dir);
  }
  read(p: string): Buffer {
    return this.ctx.read(p);
  }
  resolve(p: string): string | null {
    return this.ctx.resolve(p);
  }
  sourceHash(p: string): string {
    return this.ctx.sourceHash(p);
  }
}

/** An image's (or a stage's) root filesystem, read through a container view. */
export class ImageTree implements SourceTree {
  private readonly sums = new Map<string, string>();
  constructor(private readonly fs: ProcessFs) {}
  private abs(p: string): string {
    return '/' + p;
  }
  get(p: string): SourceEntry | null {
    const st = this.fs.tryLstat(this.abs(p));
    if (!st) return null;
    if (st.type !== 'file' && st.type !== 'dir' && st.type !== 'symlink') return null;
    return {
      type: st.type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.type === 'file' ? st.size : 0,
      mtimeMs: st.mtimeMs,
      linkname: st.type === 'symlink' ? this.fs.readlink(this.abs(p)) : '',
    };
  }
  children(dir: string): string[] {
    return this.fs.readdir(this.abs(dir));
  }
  read(p: string): Buffer {
    return this.fs.readFile(this.abs(p));
  }
  resolve(p: string): string | null {
    try {
      return this.fs.realpath(this.abs(p)).slice(1);
    } catch {
      return null;
    }
  }
  private sum(p: string): string {
    const cached = this.sums.get(p);
    if (cached) return cached;
    const e = this.get(p);
    if (!e) return p;
    const typeflag = e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2';
    const h = tarsumStart({ name: e.type === 'dir' ? `${p}/` : p, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, typeflag, linkname: e.linkname });
    if (e.type === 'file' && e.size > 0) h.update(this.read(p));
    const out = h.digest('hex');
    this.sums.set(p, out);
    return out;
  }
  sourceHash(p: string): string {
    const e = this.get(p);
    if (e && e.type !== 'dir' && p !== '') return `file:${this.sum(p)}`;
    const sums: string[] = p === '' ? [] : [this.sum(p)];
    const walk = (dir: string) => {
      for (const name of this.children(dir)) {
        const sub = dir === '' ? name : `${dir}/${name}`;
        sums.push(this.sum(sub));
        if (this.get(sub)?.type === 'dir') walk(sub);
      }
    };
    walk(p);
    return hashStringSlice('dir', sums.sort());
  }
}
