/**
 * An image archive unpacked into a private temporary directory, as the
 * daemon's `load` first untars its input (chrootarchive.Untar) and then
 * reads members by name, following symlinks only inside the archive
 * (symlink.FollowSymlinkInScope). Docker's legacy `save` writes a layer
 * that repeats an earlier one as a symlink (`<v1id>/layer.tar ->
 * ../<other>/layer.tar`), so in-archive links must work.
 *
 * Docker relies on a chroot to keep a hostile archive inside; mydock never
 * follows a link while writing, so it refuses outright what a chroot would
 * have contained: a member that climbs out (`../x`), a member whose path
 * goes through a symlink member, a relative link target that climbs above
 * the archive. Symlinks are recorded, never created on disk, so every
 * regular file is written under directories this module made itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parseTar } from '../../storage/tar/reader.js';
import { cleanEntryName } from '../../storage/tar/apply.js';
import { decompressStream } from './decompress.js';
import { loadTarError } from './errors.js';
import { goErrnoText, tarFailure } from './tar-errors.js';

const MAX_LINKS = 255;

function refuse(reason: string): never {
  throw loadTarError(reason);
}

function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string' && typeof (err as NodeJS.ErrnoException).code === 'string';
}

export class ArchiveDir {
  /** Archive path ("/a/b") -> link target as recorded. */
  private readonly links = new Map<string, string>();

  private constructor(readonly dir: string) {}

  /** Unpacks `source` (gzip allowed) into a new directory under `tmpParent`. */
  static async extract(source: AsyncIterable<Buffer | Uint8Array | string>, tmpParent: string): Promise<ArchiveDir> {
    fs.mkdirSync(tmpParent, { recursive: true, mode: 0o700 });
    const a = new ArchiveDir(fs.mkdtempSync(path.join(tmpParent, 'docker-import-')));
    try {
      await a.unpack(source);
    } catch (err) {
      a.dispose();
      const framed = tarFailure(err, loadTarError);
      if (framed !== err) throw framed;
      // A refusal of the host's filesystem (a hard link to a directory, a name
      // too long): Go's *PathError / *LinkError text, with archive paths.
      if (isErrno(err)) throw loadTarError(a.goReason(err));
      throw err;
    }
    return a;
  }

  /** "link / /x: operation not permitted": Node's error with the host paths made archive paths. */
  private goReason(err: NodeJS.ErrnoException & { dest?: string }): string {
    const inside = (h: string) => {
      const rel = path.relative(this.dir, h);
      return rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(h) : '/' + rel.split(path.sep).join('/');
    };
    const text = goErrnoText(err.code ?? '', /^[A-Z0-9]+: ([^,]*)/.exec(err.message)?.[1] ?? err.message);
    const names = [err.path, err.dest].filter((n): n is string => typeof n === 'string').map(inside);
    return `${[err.syscall ?? 'open', ...names].join(' ')}: ${text}`;
  }

  private host(p: string): string {
    return path.join(this.dir, ...p.split('/').filter(Boolean));
  }

  /** Refuses a path that has a symlink or a file among its parents. */
  private checkParents(name: string, p: string): void {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const prefix = '/' + parts.slice(0, i).join('/');
      if (this.links.has(prefix)) refuse(`${JSON.stringify(name)} goes through the symlink ${JSON.stringify(prefix.slice(1))}`);
      const st = fs.lstatSync(this.host(prefix), { throwIfNoEntry: false });
      if (st && !st.isDirectory()) refuse(`${JSON.stringify(name)} has a non-directory parent ${JSON.stringify(prefix.slice(1))}`);
    }
  }

  private clear(p: string): void {
    this.links.delete(p);
    const h = this.host(p);
    const st = fs.lstatSync(h, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) fs.unlinkSync(h);
  }

  private async unpack(source: AsyncIterable<Buffer | Uint8Array | string>): Promise<void> {
    let fd: number | null = null;
    try {
      await parseTar(await decompressStream(source), {
        entry: (e) => {
          const p = cleanEntryName(e.name);
          if (p === null) refuse(`${JSON.stringify(e.name)} is outside of the archive`);
          if (p === '/') return;
          this.checkParents(e.name, p);
          fs.mkdirSync(path.dirname(this.host(p)), { recursive: true, mode: 0o700 });
          switch (e.typeflag) {
            case '5':
              this.clear(p);
              fs.mkdirSync(this.host(p), { recursive: true, mode: 0o700 });
              return;
            case '0':
              this.clear(p);
              fd = fs.openSync(this.host(p), 'w', 0o600);
              return;
            case '2': {
              if (!e.linkname.startsWith('/') && cleanEntryName(path.posix.join(path.posix.dirname(p), e.linkname)) === null) {
                refuse(`invalid symlink ${JSON.stringify(e.name)} -> ${JSON.stringify(e.linkname)}`);
              }
              this.clear(p);
              this.links.set(p, e.linkname);
              return;
            }
            case '1': {
              const from = cleanEntryName(e.linkname);
              if (from === null) refuse(`invalid hardlink ${JSON.stringify(e.name)} -> ${JSON.stringify(e.linkname)}`);
              const target = this.resolve(from);
              this.clear(p);
              if (target !== null) fs.linkSync(target, this.host(p));
              return;
            }
            default:
              // Devices, fifos: never part of an image archive; nothing to keep.
              return;
          }
        },
        data: (chunk) => {
          if (fd !== null) {
            let off = 0;
            while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
          }
        },
        endEntry: () => {
          if (fd !== null) fs.closeSync(fd);
          fd = null;
        },
        trailer: () => {},
      });
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  }

  /**
   * FollowSymlinkInScope: the host path of archive member `name` with every
   * link resolved inside the archive (an absolute target is relative to the
   * archive root, `..` stops at the root); null when nothing is there.
   */
  resolve(name: string): string | null {
    let todo = name.split('/').filter((s) => s !== '' && s !== '.');
    let done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const seg = todo.shift()!;
      if (seg === '..') {
        done.pop();
        continue;
      }
      const p = '/' + [...done, seg].join('/');
      const link = this.links.get(p);
      if (link === undefined) {
        done.push(seg);
        continue;
      }
      if (++hops > MAX_LINKS) refuse(`too many links resolving ${JSON.stringify(name)}`);
      const rest = link.split('/').filter((s) => s !== '' && s !== '.');
      if (link.startsWith('/')) done = [];
      todo = [...rest, ...todo];
    }
    const h = this.host('/' + done.join('/'));
    return fs.existsSync(h) ? h : null;
  }

  /** The host path Docker's error messages name for a member. */
  hostPath(name: string): string {
    return path.join(this.dir, name);
  }

  readFile(name: string): Buffer | null {
    const h = this.resolve(name);
    if (h === null || !fs.statSync(h).isFile()) return null;
    return fs.readFileSync(h);
  }

  /** A stream of a member's bytes; null when it is missing. */
  open(name: string): Readable | null {
    const h = this.resolve(name);
    if (h === null || !fs.statSync(h).isFile()) return null;
    return fs.createReadStream(h);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
