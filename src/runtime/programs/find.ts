/**
 * find: busybox's findutils/find.c. An expression of tests and actions
 * joined by -a (implicit), -o, ! and parentheses; -print is implied when the
 * expression has no action. -exec runs commands through ctx.spawn; -quit
 * exits at once with the status so far; -L/-follow follow symlinks.
 */
import type { FsStat } from '../../storage/backend.js';
import { argBytes, bytes } from './lib/io.js';
import { joinPath } from './lib/paths.js';
import { errText, isFsError, type Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';
import { patternToRegex } from '../shell/pattern.js';

interface Ctx {
  path: string;
  st: FsStat;
  depth: number;
}

type Node =
  | { op: 'and' | 'or'; l: Node; r: Node }
  | { op: 'not'; e: Node }
  | { op: 'test'; fn: (c: Ctx) => boolean | Promise<boolean> };

class FindError extends Error {}
/** -quit: busybox exit()s with the status so far, before any pending `-exec … +` batch runs. */
class Quit extends Error {}

const TYPES: Record<string, FsStat['type']> = { f: 'file', d: 'dir', l: 'symlink', c: 'char', b: 'block', p: 'fifo', s: 'socket' };

export async function find(t: Tool): Promise<number> {
  const argv = t.ctx.argv.slice(1);
  const fs = t.ctx.fs;
  const db = new UserDb(fs);
  const paths: string[] = [];
  // -L follows every symlink, -H only those named on the command line.
  let follow: 'none' | 'args' | 'all' = 'none';
  while (argv[0] === '-L' || argv[0] === '-H') follow = argv.shift() === '-L' ? 'all' : follow === 'all' ? 'all' : 'args';
  while (argv.length > 0 && !argv[0]!.startsWith('-') && argv[0] !== '!' && argv[0] !== '(') paths.push(argv.shift()!);
  if (paths.length === 0) paths.push('.');
  let maxDepth = Infinity;
  let minDepth = 0;
  let depthFirst = false;
  let hasAction = false;
  let status = 0;
  const pending: { cmd: string[]; files: string[] }[] = [];
  let pos = 0;
  const now = t.ctx.clock.now();

  const need = (name: string): string => {
    const v = argv[pos++];
    if (v === undefined) throw new FindError(`${name} requires an argument`);
    return v;
  };
  const numCmp = (text: string, value: number, unit = 1): boolean => {
    const sign = text[0] === '+' ? 1 : text[0] === '-' ? -1 : 0;
    const n = Number(sign ? text.slice(1) : text);
    const v = Math.ceil(value / unit);
    return sign > 0 ? v > n : sign < 0 ? v < n : v === n;
  };

  const primary = (): Node => {
    const a = argv[pos++]!;
    const test = (fn: (c: Ctx) => boolean | Promise<boolean>): Node => ({ op: 'test', fn });
    switch (a) {
      case '(': {
        const e = orExpr();
        if (argv[pos++] !== ')') throw new FindError('unpaired (');
        return e;
      }
      case '!':
      case '-not':
        return { op: 'not', e: primary() };
      case '-name':
      case '-iname': {
        const re = patternToRegex(argBytes(need(a)), { icase: a === '-iname' });
        return test((c) => re.test(baseOf(c.path)));
      }
      case '-path':
      case '-ipath':
      case '-wholename': {
        const re = patternToRegex(argBytes(need(a)), { icase: a === '-ipath' });
        return test((c) => re.test(c.path));
      }
      case '-regex': {
        const re = new RegExp(`^(?:${need(a)})$`);
        return test((c) => re.test(c.path));
      }
      case '-type': {
        const v = need(a);
        const types = v.split(',').map((x) => TYPES[x]);
        if (types.some((x) => x === undefined)) throw new FindError(`invalid argument '${v}' to '-type'`);
        return test((c) => types.includes(c.st.type));
      }
      case '-size': {
        const v = need(a);
        const m = /^([-+]?\d+)([bckwMG]?)$/.exec(v);
        if (!m) throw new FindError(`invalid argument '${v}' to '-size'`);
        const unit = { '': 512, b: 512, c: 1, k: 1024, w: 2, M: 1024 * 1024, G: 1024 ** 3 }[m[2]!]!;
        return test((c) => numCmp(m[1]!, c.st.size, unit));
      }
      case '-mtime':
      case '-mmin': {
        const v = need(a);
        const unit = a === '-mtime' ? 86_400_000 : 60_000;
        return test((c) => numCmp(v, now - c.st.mtimeMs, unit) || (!/^[-+]/.test(v) && Math.floor((now - c.st.mtimeMs) / unit) === Number(v)));
      }
      case '-newer': {
        const ref = need(a);
        let refSt: FsStat;
        try {
          refSt = fs.stat(ref);
        } catch (e) {
          throw new FindError(`${ref}: ${errText(e)}`);
        }
        return test((c) => c.st.mtimeMs > refSt.mtimeMs);
      }
      case '-perm': {
        const v = need(a);
        const mode = parseInt(v.replace(/^[-/]/, ''), 8);
        return test((c) => (v[0] === '-' ? (c.st.mode & mode) === mode : v[0] === '/' ? (c.st.mode & mode) !== 0 : (c.st.mode & 0o7777) === mode));
      }
      case '-user': {
        const v = need(a);
        const uid = /^\d+$/.test(v) ? Number(v) : db.userByName(v)?.uid;
        if (uid === undefined) throw new FindError(`unknown user '${v}'`);
        return test((c) => c.st.uid === uid);
      }
      case '-group': {
        const v = need(a);
        const gid = /^\d+$/.test(v) ? Number(v) : db.groupByName(v)?.gid;
        if (gid === undefined) throw new FindError(`unknown group '${v}'`);
        return test((c) => c.st.gid === gid);
      }
      case '-empty':
        return test((c) => (c.st.type === 'dir' ? fs.readdir(c.path).length === 0 : c.st.type === 'file' && c.st.size === 0));
      case '-maxdepth':
        maxDepth = Number(need(a));
        return test(() => true);
      case '-mindepth':
        minDepth = Number(need(a));
        return test(() => true);
      case '-depth':
        depthFirst = true;
        return test(() => true);
      case '-xdev':
        return test(() => true);
      case '-follow':
        follow = 'all';
        return test(() => true);
      case '-executable':
        return test((c) => fs.access(c.path, 'x'));
      case '-quit':
        hasAction = true;
        return test(() => {
          throw new Quit();
        });
      case '-true':
        return test(() => true);
      case '-false':
        return test(() => false);
      case '-print':
      case '-print0': {
        hasAction = true;
        const end = a === '-print' ? '\n' : '\0';
        return test(async (c) => {
          await t.out(bytes(argBytes(c.path) + end));
          return true;
        });
      }
      case '-prune':
        return test((c) => {
          if (c.st.type === 'dir') pruned.add(c.path);
          return true;
        });
      case '-delete':
        hasAction = true;
        depthFirst = true;
        return test(async (c) => {
          try {
            if (c.st.type === 'dir') fs.rmdir(c.path);
            else fs.unlink(c.path);
          } catch (e) {
            await t.err(`${c.path}: ${errText(e)}`);
            status = 1;
            return false;
          }
          return true;
        });
      case '-exec':
      case '-ok': {
        hasAction = true;
        const cmd: string[] = [];
        for (;;) {
          const w = argv[pos++];
          if (w === undefined || cmd.length === 0 && (w === ';' || w === '+')) throw new FindError(`${a} requires an argument`);
          if (w === ';') break;
          if (w === '+' && cmd[cmd.length - 1] === '{}') {
            cmd.pop();
            const batch = { cmd, files: [] as string[] };
            pending.push(batch);
            return test((c) => {
              batch.files.push(c.path);
              return true;
            });
          }
          cmd.push(w);
        }
        return test(async (c) => (await t.ctx.spawn(cmd.map((w) => w.split('{}').join(c.path)))) === 0);
      }
      default:
        if (a.startsWith('-')) throw new FindError(`unrecognized: ${a}`);
        throw new FindError(`unrecognized: ${a}`);
    }
  };
  const andExpr = (): Node => {
    let l = primary();
    while (pos < argv.length && argv[pos] !== '-o' && argv[pos] !== '-or' && argv[pos] !== ')') {
      if (argv[pos] === '-a' || argv[pos] === '-and') pos++;
      l = { op: 'and', l, r: primary() };
    }
    return l;
  };
  const orExpr = (): Node => {
    let l = andExpr();
    while (argv[pos] === '-o' || argv[pos] === '-or') {
      pos++;
      l = { op: 'or', l, r: andExpr() };
    }
    return l;
  };
  const pruned = new Set<string>();
  let expr: Node | null = null;
  try {
    if (argv.length > 0) expr = orExpr();
    if (pos < argv.length) throw new FindError(`unrecognized: ${argv[pos]}`);
  } catch (e) {
    if (!(e instanceof FindError)) throw e;
    await t.err(e.message);
    if (e.message.startsWith('unrecognized')) await t.usage();
    return 1;
  }
  const evaluate = async (n: Node, c: Ctx): Promise<boolean> => {
    switch (n.op) {
      case 'and':
        return (await evaluate(n.l, c)) && evaluate(n.r, c);
      case 'or':
        return (await evaluate(n.l, c)) || evaluate(n.r, c);
      case 'not':
        return !(await evaluate(n.e, c));
      case 'test':
        return n.fn(c);
    }
  };
  const visit = async (c: Ctx): Promise<void> => {
    if (c.depth < minDepth) return;
    const ok = expr ? await evaluate(expr, c) : true;
    if (ok && !hasAction) await t.out(bytes(argBytes(c.path) + '\n'));
  };
  // With -L a link back up the tree would loop: a directory already being walked is not entered again.
  const entered: string[] = [];
  const safeRealpath = (path: string): string => {
    try {
      return fs.realpath(path);
    } catch {
      return path;
    }
  };
  const looping = (path: string): boolean => follow !== 'none' && entered.includes(safeRealpath(path));
  const walk = async (path: string, depth: number, top: boolean): Promise<void> => {
    let st: FsStat;
    try {
      st = top ? (follow !== 'none' ? (fs.tryStat(path) ?? fs.lstat(path)) : (fs.tryLstat(path) ?? fs.stat(path))) : follow === 'all' ? (fs.tryStat(path) ?? fs.lstat(path)) : fs.lstat(path);
    } catch (e) {
      await t.errPath(path, e);
      status = 1;
      return;
    }
    const c = { path, st, depth };
    if (!depthFirst) await visit(c);
    if (st.type === 'dir' && depth < maxDepth && !pruned.has(path) && !looping(path)) {
      const real = follow === 'none' ? '' : safeRealpath(path);
      entered.push(real);
      let names: string[] = [];
      try {
        names = fs.readdir(path);
      } catch (e) {
        if (!isFsError(e)) throw e;
        await t.errPath(path, e);
        status = 1;
      }
      try {
        for (const n of names) await walk(joinPath(path, n), depth + 1, false);
      } finally {
        entered.pop();
      }
    }
    if (depthFirst) await visit(c);
  };
  try {
    for (const p of paths) await walk(p, 0, true);
  } catch (e) {
    if (e instanceof Quit) return status;
    throw e;
  }
  for (const b of pending) {
    if (b.files.length === 0) continue;
    if ((await t.ctx.spawn([...b.cmd, ...b.files])) !== 0) status = 1;
  }
  return status;
}

function baseOf(path: string): string {
  const t = path.replace(/\/+$/, '');
  return t === '' ? '/' : argBytes(t.slice(t.lastIndexOf('/') + 1));
}
