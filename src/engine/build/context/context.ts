/**
 * The build context: the files the CLI would send to the daemon, after
 * `.dockerignore`. mydock never writes the tar; it keeps an index of the
 * entries (read lazily from the host directory, or held in memory when the
 * context came as a tar on stdin), and computes what Docker derives from the
 * tar: its size (the "Sending build context" line) and the tarsum hashes of
 * COPY/ADD sources.
 *
 * Paths are slash-separated and relative to the context root ("" is the
 * root). A symlink in the context is an entry of its own; following one
 * (`resolve`) never leaves the context: an absolute target or `..` is taken
 * relative to the context root, as the daemon's scoped path resolution does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tarsumStart, hashStringSlice } from './tarsum.js';
import { tarEntrySize, TAR_TRAILER_SIZE } from './tar-size.js';
import { IgnoreMatcher, readIgnoreFile } from './ignore.js';

export type EntryType = 'file' | 'dir' | 'symlink';

export interface ContextEntry {
  /** "a/b.txt"; never empty (the root is implicit). */
  path: string;
  type: EntryType;
  /** Permission bits with setuid/setgid/sticky. */
  mode: number;
  size: number;
  mtimeMs: number;
  linkname: string;
  /** Owner recorded in a tar (ADD extraction keeps it); absent means 0:0, as the CLI sends the context. */
  uid?: number;
  gid?: number;
  /** Where the content is: a host file, or bytes (stdin tar, stdin Dockerfile). */
  hostPath?: string;
  data?: Buffer;
}

const TYPEFLAG: Record<EntryType, string> = { file: '0', dir: '5', symlink: '2' };

export class BuildContext {
  private readonly entries = new Map<string, ContextEntry>();
  private readonly kids = new Map<string, string[]>([['', []]]);
  private readonly sums = new Map<string, string>();
  /** Files sent but removed by the daemon before the build (an ignored Dockerfile or .dockerignore). */
  private readonly hidden = new Set<string>();
  /** Size of the tar as sent. */
  tarSize = TAR_TRAILER_SIZE;

  add(entry: ContextEntry): void {
    const parent = parentOf(entry.path);
    if (!this.kids.has(parent)) this.add({ path: parent, type: 'dir', mode: 0o755, size: 0, mtimeMs: 0, linkname: '' });
    if (!this.entries.has(entry.path)) this.kids.get(parent)!.push(baseOf(entry.path));
    this.entries.set(entry.path, entry);
    if (entry.type === 'dir' && !this.kids.has(entry.path)) this.kids.set(entry.path, []);
    this.tarSize += tarEntrySize(tarName(entry), entry.linkname, entry.type === 'file' ? entry.size : 0);
  }

  /** Removes a sent file from what the build sees (the daemon's removeDockerfile). */
  hide(p: string): void {
    this.hidden.add(p);
  }

  /** The entry at a path (no symlink following); the root is a directory. */
  get(p: string): ContextEntry | null {
    if (p === '' || p === '.') return ROOT;
    if (this.hidden.has(p)) return null;
    return this.entries.get(p) ?? null;
  }

  /** Names in a directory, sorted bytewise. */
  children(dir: string): string[] {
    const names = (this.kids.get(dir) ?? []).filter((n) => !this.hidden.has(join(dir, n)));
    return names.sort(byteCompare);
  }

  /** Every path, depth first in lexical order (filepath.Walk's order), the root excluded. */
  *walk(dir = ''): Generator<ContextEntry> {
    for (const name of this.children(dir)) {
      const e = this.get(join(dir, name));
      if (!e) continue;
      yield e;
      if (e.type === 'dir') yield* this.walk(e.path);
    }
  }

  read(p: string): Buffer {
    const e = this.get(p);
    if (!e || e.type !== 'file') throw new Error(`not a file in the build context: ${p}`);
    if (e.data) return e.data;
    return fs.readFileSync(e.hostPath!);
  }

  /**
   * Resolves a path inside the context, following symlinks but never out of
   * the context root (chroot semantics). `followLast` false keeps a final
   * symlink. Returns the resolved path ("" for the root) or null when missing.
   */
  resolve(p: string, followLast = true): string | null {
    const todo = p.split('/').filter((s) => s !== '' && s !== '.');
    const done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const part = todo.shift()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const cur = [...done, part].join('/');
      const e = this.get(cur);
      if (!e) return null;
      if (e.type === 'symlink' && (todo.length > 0 || followLast)) {
        if (++hops > 255) return null;
        const target = e.linkname.split('/').filter((s) => s !== '' && s !== '.');
        if (e.linkname.startsWith('/')) done.length = 0;
        todo.unshift(...target);
        continue;
      }
      done.push(part);
    }
    return done.join('/');
  }

  /** tarsum v1 of one entry (the tar header fields and the body), hex. */
  entrySum(p: string): string {
    let sum = this.sums.get(p);
    if (sum !== undefined) return sum;
    const e = this.get(p);
    if (!e || e === ROOT) return p;
    const hash = tarsumStart({
      name: tarName(e),
      mode: e.mode,
      uid: 0,
      gid: 0,
      size: e.type === 'file' ? e.size : 0,
      typeflag: TYPEFLAG[e.type],
      linkname: e.linkname,
    });
    if (e.type === 'file') hash.update(this.read(p));
    sum = hash.digest('hex');
    this.sums.set(p, sum);
    return sum;
  }

  /** Hash(path): the sum of what a symlink leads to (what is copied), or the path itself when it leads nowhere. */
  followedSum(p: string): string {
    const target = this.resolve(p);
    return target === null ? p : this.entrySum(target);
  }

  /**
   * The classic builder's source hash: "file:<sum>" for a file, "dir:<hash>"
   * for a directory (the sorted sums of everything below it).
   */
  sourceHash(p: string): string {
    const e = this.get(p);
    if (e && e.type !== 'dir' && e !== ROOT) return `file:${this.entrySum(p)}`;
    // walkSource: the walk starts at the directory itself, which counts
    // unless it is the context root.
    const dir = p === '.' ? '' : p;
    const sums: string[] = dir === '' ? [] : [this.followedSum(dir)];
    for (const sub of this.walk(dir)) sums.push(this.followedSum(sub.path));
    return hashStringSlice('dir', sums.sort());
  }
}

const ROOT: ContextEntry = { path: '', type: 'dir', mode: 0o755, size: 0, mtimeMs: 0, linkname: '' };

const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}
function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
function tarName(e: ContextEntry): string {
  return e.type === 'dir' ? `${e.path}/` : e.path;
}

export interface DirectoryContextOptions {
  /** The Dockerfile's path relative to the context, when it lies inside it. */
  dockerfile: string | null;
  /** A Dockerfile that is not in the context (stdin, or -f outside it): added under a random name, as the CLI does. */
  extraDockerfile?: { name: string; data: Buffer };
}

/**
 * The context of a directory, as the CLI builds its tar: `.dockerignore`
 * applied (the Dockerfile and .dockerignore always sent), entries in
 * filepath.Walk order, excluded directories skipped unless an exception
 * pattern may re-include something below them.
 */
export function contextFromDirectory(root: string, options: DirectoryContextOptions): BuildContext {
  const ctx = new BuildContext();
  let patterns: string[] = [];
  const ignoreFile = path.join(root, '.dockerignore');
  if (fs.existsSync(ignoreFile)) patterns = readIgnoreFile(fs.readFileSync(ignoreFile, 'utf8'));
  const original = new IgnoreMatcher(patterns);
  // build.TrimBuildFilesFromExcludes: the CLI always sends these two.
  const sent = [...patterns];
  if (original.matches('.dockerignore')) sent.push('!.dockerignore');
  if (options.dockerfile !== null && original.matches(options.dockerfile)) sent.push('!' + options.dockerfile);
  const matcher = new IgnoreMatcher(sent);

  const visit = (dir: string): void => {
    const hostDir = path.join(root, dir);
    const names = fs.readdirSync(hostDir).sort(byteCompare);
    for (const name of names) {
      const rel = join(dir, name);
      const host = path.join(hostDir, name);
      const st = fs.lstatSync(host);
      const excluded = !matcher.isEmpty && matcher.matches(rel);
      if (excluded) {
        if (st.isDirectory() && matcher.hasExclusions && matcher.mayReinclude(rel)) visit(rel);
        continue;
      }
      const base = { path: rel, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs, linkname: '', size: 0 };
      if (st.isDirectory()) {
        ctx.add({ ...base, type: 'dir' });
        visit(rel);
      } else if (st.isSymbolicLink()) {
        ctx.add({ ...base, type: 'symlink', linkname: fs.readlinkSync(host) });
      } else if (st.isFile()) {
        ctx.add({ ...base, type: 'file', size: st.size, hostPath: host });
      }
    }
  };
  visit('');
  if (options.extraDockerfile) {
    const { name, data } = options.extraDockerfile;
    ctx.add({ path: name, type: 'file', mode: 0o600, size: data.length, mtimeMs: Date.now(), linkname: '', data });
    ctx.hide(name);
  }
  // The daemon removes an ignored Dockerfile and .dockerignore once read.
  if (original.matches('.dockerignore')) ctx.hide('.dockerignore');
  if (options.dockerfile !== null && original.matches(options.dockerfile)) ctx.hide(options.dockerfile);
  return ctx;
}

/** A context holding one Dockerfile (`docker build - < Dockerfile`). */
export function contextFromDockerfile(data: Buffer): BuildContext {
  const ctx = new BuildContext();
  ctx.add({ path: 'Dockerfile', type: 'file', mode: 0o600, size: data.length, mtimeMs: Date.now(), linkname: '', data });
  return ctx;
}
