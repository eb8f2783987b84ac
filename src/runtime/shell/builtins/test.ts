/**
 * test / [ : file, string and integer tests with ! -a -o and parentheses,
 * using POSIX's argument-count rules for 1-4 arguments. Errors print as
 * busybox's test applet does ("sh: a: bad number") and give status 2.
 */
import type { FsStat } from '../../../storage/backend.js';
import type { Interpreter } from '../interpreter.js';
import type { BuiltinIO, BuiltinTable } from './index.js';

class TestError extends Error {}

const UNARY = new Set(['-b', '-c', '-d', '-e', '-f', '-g', '-G', '-h', '-k', '-L', '-n', '-O', '-p', '-r', '-s', '-S', '-t', '-u', '-w', '-x', '-z']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-gt', '-ge', '-lt', '-le', '-nt', '-ot', '-ef', '<', '>']);

function toInt(s: string): bigint {
  const t = s.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw new TestError(`${s}: bad number`);
  return BigInt(t);
}

class TestEval {
  private pos = 0;
  constructor(
    private readonly args: string[],
    private readonly sh: Interpreter,
    private readonly io: BuiltinIO,
  ) {}

  run(): boolean {
    const n = this.args.length;
    if (n === 0) return false;
    // POSIX rules by argument count, so `[ = ]`, `[ -n ]`, `[ ! -z ]` mean what they should.
    if (n === 1) return this.args[0] !== '';
    if (n === 2) {
      const [a, b] = this.args as [string, string];
      if (a === '!') return b === '';
      if (UNARY.has(a)) return this.unary(a, b);
      if (BINARY.has(b)) throw new TestError(`${b}: argument expected`);
      throw new TestError(`${b}: unknown operand`);
    }
    if (n === 3) {
      const [a, b, c] = this.args as [string, string, string];
      if (BINARY.has(b)) return this.binary(a, b, c);
      if (a === '!') return !new TestEval([b, c], this.sh, this.io).run();
      if (a === '(' && c === ')') return b !== '';
    }
    if (n === 4 && this.args[0] === '!') return !new TestEval(this.args.slice(1), this.sh, this.io).run();
    const r = this.orExpr();
    if (this.pos < n) throw new TestError(`${this.args[this.pos]}: unknown operand`);
    return r;
  }

  private peek(): string | undefined {
    return this.args[this.pos];
  }

  private orExpr(): boolean {
    let r = this.andExpr();
    while (this.peek() === '-o') {
      this.pos++;
      r = this.andExpr() || r;
    }
    return r;
  }

  private andExpr(): boolean {
    let r = this.notExpr();
    while (this.peek() === '-a') {
      this.pos++;
      r = this.notExpr() && r;
    }
    return r;
  }

  private notExpr(): boolean {
    if (this.peek() === '!') {
      this.pos++;
      return !this.notExpr();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.peek();
    if (a === undefined) throw new TestError('argument expected');
    if (a === '(') {
      this.pos++;
      const r = this.orExpr();
      if (this.peek() !== ')') throw new TestError("')' expected");
      this.pos++;
      return r;
    }
    const op = this.args[this.pos + 1];
    if (op !== undefined && BINARY.has(op)) {
      const b = this.args[this.pos + 2];
      if (b === undefined) throw new TestError(`${op}: argument expected`);
      this.pos += 3;
      return this.binary(a, op, b);
    }
    if (UNARY.has(a)) {
      const b = this.args[this.pos + 1];
      if (b === undefined) {
        this.pos++;
        return true; // a lone operator is a non-empty string
      }
      this.pos += 2;
      return this.unary(a, b);
    }
    this.pos++;
    return a !== '';
  }

  private stat(path: string, follow = true): FsStat | null {
    try {
      return follow ? this.sh.state.fs.tryStat(path) : this.sh.state.fs.tryLstat(path);
    } catch {
      return null;
    }
  }

  private unary(op: string, arg: string): boolean {
    const fs = this.sh.state.fs;
    switch (op) {
      case '-n':
        return arg !== '';
      case '-z':
        return arg === '';
      case '-t': {
        const fd = Number(toInt(arg));
        const f = this.sh.state.fds.get(fd);
        return Boolean(f?.input?.isTTY || f?.output?.isTTY);
      }
      case '-h':
      case '-L':
        return this.stat(arg, false)?.type === 'symlink';
    }
    const st = this.stat(arg);
    if (!st) return false;
    switch (op) {
      case '-e':
        return true;
      case '-f':
        return st.type === 'file';
      case '-d':
        return st.type === 'dir';
      case '-b':
        return st.type === 'block';
      case '-c':
        return st.type === 'char';
      case '-p':
        return st.type === 'fifo';
      case '-S':
        return st.type === 'socket';
      case '-s':
        return st.size > 0;
      case '-g':
        return (st.mode & 0o2000) !== 0;
      case '-u':
        return (st.mode & 0o4000) !== 0;
      case '-k':
        return (st.mode & 0o1000) !== 0;
      case '-O':
        return st.uid === this.sh.env.user.uid;
      case '-G':
        return st.gid === this.sh.env.user.gid;
      case '-r':
        return fs.access(arg, 'r');
      case '-w':
        return fs.access(arg, 'w');
      case '-x':
        return fs.access(arg, 'x');
    }
    return false;
  }

  private binary(a: string, op: string, b: string): boolean {
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-eq':
        return toInt(a) === toInt(b);
      case '-ne':
        return toInt(a) !== toInt(b);
      case '-gt':
        return toInt(a) > toInt(b);
      case '-ge':
        return toInt(a) >= toInt(b);
      case '-lt':
        return toInt(a) < toInt(b);
      case '-le':
        return toInt(a) <= toInt(b);
      case '-nt':
      case '-ot': {
        const sa = this.stat(a);
        const sb = this.stat(b);
        if (op === '-nt') return sa !== null && (sb === null || sa.mtimeMs > sb.mtimeMs);
        return sb !== null && (sa === null || sa.mtimeMs < sb.mtimeMs);
      }
      case '-ef': {
        const sa = this.stat(a);
        const sb = this.stat(b);
        if (!sa || !sb) return false;
        try {
          return this.sh.state.fs.realpath(a) === this.sh.state.fs.realpath(b);
        } catch {
          return false;
        }
      }
    }
    return false;
  }
}

async function runTest(sh: Interpreter, args: string[], io: BuiltinIO): Promise<number> {
  try {
    return new TestEval(args, sh, io).run() ? 0 : 1;
  } catch (err) {
    if (err instanceof TestError) {
      await io.stderr.write(`sh: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

export const TEST_BUILTINS: BuiltinTable = {
  test: (sh, argv, io) => runTest(sh, argv.slice(1), io),
  '[': async (sh, argv, io) => {
    if (argv[argv.length - 1] !== ']') {
      await io.stderr.write('sh: missing ]\n');
      return 2;
    }
    return runTest(sh, argv.slice(1, -1), io);
  },
};
