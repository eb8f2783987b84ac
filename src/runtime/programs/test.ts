/**
 * test and [: busybox's coreutils/test.c. Status 0 true, 1 false, 2 on a
 * syntax error (with busybox's message).
 */
import type { Tool } from './lib/tool.js';

class TestError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-r', '-w', '-x', '-s', '-L', '-h', '-z', '-n', '-b', '-c', '-p', '-S', '-t', '-u', '-g', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function toNumber(s: string): number {
  const m = /^\s*([-+]?\d+)\s*$/.exec(s);
  if (!m) throw new TestError(`${s}: bad number`);
  return Number(m[1]);
}

export async function test(t: Tool): Promise<number> {
  const args = t.ctx.argv.slice(1);
  if (t.name === '[') {
    if (args[args.length - 1] !== ']') {
      await t.err('missing ]');
      return 2;
    }
    args.pop();
  }
  const fs = t.ctx.fs;
  const unary = (op: string, v: string): boolean => {
    switch (op) {
      case '-z': return v === '';
      case '-n': return v !== '';
      case '-t': return false;
      case '-L':
      case '-h': return fs.tryLstat(v)?.type === 'symlink';
    }
    const st = v === '' ? null : fs.tryStat(v);
    if (!st) return false;
    switch (op) {
      case '-e': return true;
      case '-f': return st.type === 'file';
      case '-d': return st.type === 'dir';
      case '-b': return st.type === 'block';
      case '-c': return st.type === 'char';
      case '-p': return st.type === 'fifo';
      case '-S': return st.type === 'socket';
      case '-s': return st.size > 0;
      case '-r': return fs.access(v, 'r');
      case '-w': return fs.access(v, 'w');
      case '-x': return fs.access(v, 'x');
      case '-u': return (st.mode & 0o4000) !== 0;
      case '-g': return (st.mode & 0o2000) !== 0;
      case '-k': return (st.mode & 0o1000) !== 0;
      case '-O': return st.uid === t.ctx.user.uid;
      case '-G': return st.gid === t.ctx.user.gid;
    }
    return false;
  };
  const binary = (a: string, op: string, b: string): boolean => {
    switch (op) {
      case '=':
      case '==': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '>': return a > b;
      case '-eq': return toNumber(a) === toNumber(b);
      case '-ne': return toNumber(a) !== toNumber(b);
      case '-lt': return toNumber(a) < toNumber(b);
      case '-le': return toNumber(a) <= toNumber(b);
      case '-gt': return toNumber(a) > toNumber(b);
      case '-ge': return toNumber(a) >= toNumber(b);
    }
    const sa = fs.tryStat(a);
    const sb = fs.tryStat(b);
    if (op === '-nt') return !!sa && (!sb || sa.mtimeMs > sb.mtimeMs);
    if (op === '-ot') return !!sb && (!sa || sa.mtimeMs < sb.mtimeMs);
    return !!sa && !!sb && sa.ino === sb.ino;
  };
  let pos = 0;
  const primary = (): boolean => {
    const a = args[pos];
    if (a === undefined) throw new TestError('argument expected');
    if (a === '!') {
      pos++;
      return !primary();
    }
    if (a === '(' && args.length - pos > 1 && !(args.length - pos >= 3 && BINARY.has(args[pos + 1]!) && args[pos + 3] !== ')')) {
      pos++;
      const v = orExpr();
      if (args[pos] !== ')') throw new TestError(args[pos] === undefined ? 'closing paren expected' : `${args[pos]}: unexpected operator`);
      pos++;
      return v;
    }
    if (pos + 2 < args.length + 0 && BINARY.has(args[pos + 1]!)) {
      const r = binary(a, args[pos + 1]!, args[pos + 2]!);
      pos += 3;
      return r;
    }
    if (UNARY.has(a) && pos + 1 < args.length) {
      pos += 2;
      return unary(a, args[pos - 1]!);
    }
    if (BINARY.has(args[pos + 1] ?? '') && pos + 2 >= args.length) throw new TestError(`${args[pos + 1]}: argument expected`);
    pos++;
    return a !== '';
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (args[pos] === '-a') {
      pos++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (args[pos] === '-o') {
      pos++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  try {
    if (args.length === 0) return 1;
    // POSIX: with one argument, true when it is not empty, whatever it looks like.
    if (args.length === 1) return args[0] !== '' ? 0 : 1;
    if (args.length === 2 && args[0] === '!') return args[1] !== '' ? 1 : 0;
    if (args.length === 3 && BINARY.has(args[1]!)) return binary(args[0]!, args[1]!, args[2]!) ? 0 : 1;
    const v = orExpr();
    if (pos < args.length) throw new TestError(`${args[pos]}: unknown operand`);
    return v ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    await t.err(e.message);
    return 2;
  }
}
