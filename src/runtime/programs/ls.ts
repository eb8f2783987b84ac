/**
 * ls, as busybox's coreutils/ls.c prints it: one name a line unless stdout
 * is a terminal (then columns), `-l` with busybox's fixed widths
 * ("%-10s %4u %-8.8s %-8.8s %9u Mon DD HH:MM name"), names sorted bytewise,
 * operand files before directories, "total" in 1K blocks.
 */
import type { FsStat } from '../../storage/backend.js';
import { kbBlocks } from './lib/blocks.js';
import { has, last, type Parsed } from './lib/getopt.js';
import { humanSize } from './lib/human.js';
import { Out, argBytes } from './lib/io.js';
import { modeString } from './lib/mode.js';
import { joinPath } from './lib/paths.js';
import { ctime, strftime } from './lib/time.js';
import type { Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';

interface Entry {
  /** The name as shown. */
  name: string;
  /** The path used to reach it. */
  path: string;
  st: FsStat;
}

/** Terminal columns a byte string takes (UTF-8 characters). */
function visibleWidth(s: string): number {
  return [...Buffer.from(s, 'latin1').toString('utf8')].length;
}

const SIX_MONTHS_S = (3600 * 24 * 365) / 2;

class Lister {
  readonly out: Out;
  readonly db: UserDb;
  status = 0;
  printedSomething = false;

  constructor(
    readonly t: Tool,
    readonly o: Parsed,
  ) {
    this.out = new Out(t.ctx.stdout);
    this.db = new UserDb(t.ctx.fs);
  }

  opt(c: string): boolean {
    return has(this.o, c);
  }

  get long(): boolean {
    return this.opt('l') || this.opt('n');
  }

  /** The sort key that was given last wins, as with getopt32's complementary options. */
  sortKey(): string {
    for (let i = this.o.order.length - 1; i >= 0; i--) {
      const k = this.o.order[i]!;
      if ('StXvf'.includes(k)) return k;
    }
    return '';
  }

  timeOf(st: FsStat): number {
    if (this.opt('c')) return st.ctimeMs;
    if (this.opt('u')) return st.atimeMs;
    return st.mtimeMs;
  }

  sort(list: Entry[]): Entry[] {
    const key = this.sortKey();
    if (key === 'f') return list;
    const byName = (a: Entry, b: Entry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const cmp = (a: Entry, b: Entry): number => {
      let d = 0;
      if (key === 'S') d = b.st.size - a.st.size;
      else if (key === 't') d = this.timeOf(b.st) - this.timeOf(a.st);
      else if (key === 'X') {
        const ext = (n: string): string => (n.lastIndexOf('.') > 0 ? n.slice(n.lastIndexOf('.') + 1) : '');
        d = ext(a.name) < ext(b.name) ? -1 : ext(a.name) > ext(b.name) ? 1 : 0;
      } else if (key === 'v') d = a.name.localeCompare(b.name, 'en', { numeric: true });
      if (d === 0) d = byName(a, b);
      return d;
    };
    const sorted = [...list].sort(cmp);
    if (this.opt('group-directories-first')) {
      sorted.sort((a, b) => Number(b.st.type === 'dir') - Number(a.st.type === 'dir'));
    }
    return this.opt('r') ? sorted.reverse() : sorted;
  }

  indicator(st: FsStat): string {
    if (this.opt('F')) {
      if (st.type === 'dir') return '/';
      if (st.type === 'symlink') return '@';
      if (st.type === 'fifo') return '|';
      if (st.type === 'socket') return '=';
      if (st.type === 'file' && st.mode & 0o111) return '*';
      return '';
    }
    if (this.opt('p') && st.type === 'dir') return '/';
    return '';
  }

  dateText(st: FsStat): string {
    const ms = this.timeOf(st);
    if (this.opt('full-time')) return strftime('%Y-%m-%d %H:%M:%S +0000 ', ms);
    const c = ctime(ms);
    const age = (this.t.ctx.clock.now() - ms) / 1000;
    if (age < SIX_MONTHS_S && age > -15 * 60) return c.slice(4, 16) + ' ';
    // printf("%.7s%6s") of ctime's text, whose newline busybox turned into a space.
    return c.slice(4, 11) + `${c.slice(20)} `.padStart(6, ' ');
  }

  /** One entry as display_single prints it; returns the text (no newline). */
  single(e: Entry): string {
    const st = e.st;
    let s = '';
    if (this.opt('i')) s += `${String(st.ino).padStart(7, ' ')} `;
    if (this.opt('s')) s += `${String(kbBlocks(st)).padStart(6, ' ')} `;
    if (this.long) {
      s += `${modeString(st).padEnd(10, ' ')} ${String(st.nlink).padStart(4, ' ')} `;
      if (this.opt('n')) s += `${String(st.uid).padEnd(8, ' ')} ${String(st.gid).padEnd(8, ' ')}`;
      else s += `${this.db.userName(st.uid).slice(0, 8).padEnd(8, ' ')} ${this.db.groupName(st.gid).slice(0, 8).padEnd(8, ' ')}`;
      s += ' ';
      if ((st.type === 'char' || st.type === 'block') && st.rdev) s += `${String(st.rdev.major).padStart(4, ' ')}, ${String(st.rdev.minor).padStart(3, ' ')} `;
      else if (this.opt('h')) s += `${humanSize(st.size).padStart(7, ' ')} `;
      else s += `${String(st.size).padStart(9, ' ')} `;
      s += this.dateText(st);
    }
    s += this.shownName(e.name);
    if (this.long && st.type === 'symlink') {
      let target = '';
      try {
        target = this.t.ctx.fs.readlink(e.path);
      } catch {
        // busybox warns and prints the name alone; the entry was just listed, so this is rare.
      }
      s += ` -> ${this.shownName(argBytes(target))}`;
      if (this.opt('F') || this.opt('p')) {
        const tst = this.t.ctx.fs.tryStat(e.path);
        if (tst) s += this.indicator(tst) === '@' ? '' : this.indicator(tst);
      }
      return s;
    }
    return s + this.indicator(st);
  }

  /** Non-printable bytes show as "?" on a terminal, as busybox's printable_string does. */
  shownName(name: string): string {
    if (!this.t.ctx.stdout.isTTY) return name;
    return name.replace(/[\x00-\x1f\x7f]/g, '?');
  }

  nameWidth(e: Entry): number {
    return visibleWidth(e.name) + this.indicator(e.st).length;
  }

  async display(list: Entry[]): Promise<void> {
    if (list.length === 0) return;
    const oneCol = this.long || this.opt('1') || (!this.t.ctx.stdout.isTTY && !this.opt('C') && !this.opt('x'));
    if (oneCol) {
      for (const e of list) await this.out.put(this.single(e) + '\n');
      return;
    }
    const width = Number(last(this.o, 'w') ?? this.t.ctx.env.COLUMNS ?? 80) || 80;
    const colWidth = Math.max(...list.map((e) => this.nameWidth(e))) + 2 + (this.opt('i') ? 8 : 0) + (this.opt('s') ? 5 : 0);
    let ncols = Math.floor(width / colWidth);
    let nrows = list.length;
    if (ncols > 1) nrows = Math.ceil(list.length / ncols);
    else ncols = 1;
    for (let row = 0; row < nrows; row++) {
      let line = '';
      let column = 0;
      let nexttab = 0;
      for (let nc = 0; nc < ncols; nc++) {
        const i = this.opt('x') ? row * ncols + nc : nc * nrows + row;
        if (i >= list.length) continue;
        if (column > 0) {
          line += ' '.repeat(nexttab - column);
          column = nexttab;
        }
        nexttab = column + colWidth;
        const text = this.single(list[i]!);
        line += text;
        column += visibleWidth(text);
      }
      await this.out.put(line + '\n');
    }
  }

  entriesOf(dir: string): Entry[] {
    const fs = this.t.ctx.fs;
    const names = fs.readdir(dir);
    const list: Entry[] = [];
    const all = this.opt('a');
    if (all && !this.opt('A')) {
      for (const dot of ['.', '..']) {
        const p = joinPath(dir, dot);
        list.push({ name: dot, path: p, st: fs.stat(p) });
      }
    }
    for (const n of names) {
      if (n.startsWith('.') && !all && !this.opt('A')) continue;
      const p = joinPath(dir, n);
      const st = this.opt('L') ? (fs.tryStat(p) ?? fs.lstat(p)) : fs.lstat(p);
      list.push({ name: argBytes(n), path: p, st });
    }
    return list;
  }

  async listDir(path: string, shown: string, header: boolean): Promise<void> {
    if (header) {
      await this.out.put(`${this.printedSomething ? '\n' : ''}${shown}:\n`);
    }
    this.printedSomething = true;
    let list: Entry[];
    try {
      list = this.sort(this.entriesOf(path));
    } catch (e) {
      await this.out.flush();
      await this.t.errPath(shown, e);
      this.status = 1;
      return;
    }
    if (this.long || this.opt('s')) {
      const total = list.reduce((a, e) => a + kbBlocks(e.st), 0);
      await this.out.put(`total ${this.opt('h') ? humanSize(total, 1024, true).padEnd(7, ' ') : total}\n`);
    }
    await this.display(list);
    if (this.opt('R')) {
      for (const e of list) {
        if (e.st.type !== 'dir' || e.name === '.' || e.name === '..') continue;
        await this.listDir(e.path, joinPath(shown, e.name), true);
      }
    }
  }
}

export async function ls(t: Tool): Promise<number> {
  const o = await t.opts({
    short: '1AaCxdLHRFplinshrSXvctuw:ef',
    long: {
      'full-time': { key: 'full-time', arg: 'none' },
      'group-directories-first': { key: 'group-directories-first', arg: 'none' },
      color: { key: 'color', arg: 'optional' },
      'human-readable': { key: 'h', arg: 'none' },
      all: { key: 'a', arg: 'none' },
      'almost-all': { key: 'A', arg: 'none' },
      directory: { key: 'd', arg: 'none' },
      recursive: { key: 'R', arg: 'none' },
      reverse: { key: 'r', arg: 'none' },
      inode: { key: 'i', arg: 'none' },
      size: { key: 's', arg: 'none' },
      dereference: { key: 'L', arg: 'none' },
      classify: { key: 'F', arg: 'none' },
      'numeric-uid-gid': { key: 'n', arg: 'none' },
    },
  });
  if (has(o, 'full-time')) o.count.set('l', 1);
  const L = new Lister(t, o);
  const fs = t.ctx.fs;
  const operands = o.args.length === 0 ? ['.'] : o.args;
  // Symlinks named on the command line are followed unless -l, -d or -F (busybox's implicit -H).
  const followTop = has(o, 'L') || has(o, 'H') || !(L.long || has(o, 'd') || has(o, 'F'));
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const p of operands) {
    let st: FsStat;
    try {
      st = followTop ? (fs.tryStat(p) ?? fs.lstat(p)) : fs.lstat(p);
    } catch (e) {
      await t.errPath(p, e);
      L.status = 1;
      continue;
    }
    const e = { name: argBytes(p), path: p, st };
    if (st.type === 'dir' && !has(o, 'd')) dirs.push(e);
    else files.push(e);
  }
  const sortedFiles = L.sort(files);
  await L.display(sortedFiles);
  const header = operands.length > 1 || has(o, 'R');
  // A blank line separates the operand files from the first directory's header.
  if (sortedFiles.length > 0) L.printedSomething = true;
  for (const d of L.sort(dirs)) await L.listDir(d.path, d.name, header || sortedFiles.length > 0);
  await L.out.flush();
  return L.status;
}

