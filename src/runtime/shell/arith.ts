/**
 * Shell arithmetic ($((...)), `let`-free): C integer expressions on 64-bit
 * signed integers, as busybox's shell math evaluates them. Quirks kept on
 * purpose: `&&`, `||` and `?:` evaluate both sides (side effects included),
 * unary minus binds tighter than `**`, and a variable's value is itself
 * evaluated as an expression.
 */
import { ShellError } from './errors.js';

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Tok = { t: 'num'; v: bigint } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const OPS = ['<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '?', ':', '=', '(', ')', ','];

const syntaxError = (): ShellError => new ShellError('arithmetic syntax error');
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9A-Za-z_#@]+/.exec(src.slice(i));
      const text = m ? m[0] : c;
      toks.push({ t: 'num', v: parseNumber(text) });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const text = m ? m[0] : c;
      toks.push({ t: 'name', v: text });
      i += text.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw syntaxError();
    toks.push({ t: 'op', v: op });
    i += op.length;
  }
  toks.push({ t: 'end' });
  return toks;
}

/** Decimal, 0x hex, 0 octal, or base#digits (bases 2-64). */
export function parseNumber(text: string): bigint {
  let m = /^0[xX]([0-9a-fA-F]+)$/.exec(text);
  if (m && m[1]) return wrap(BigInt('0x' + m[1]));
  if (/^0[0-7]+$/.test(text)) return wrap(BigInt('0o' + text.slice(1)));
  if (/^[0-9]+$/.test(text) && !/^0[0-9]/.test(text)) return wrap(BigInt(text));
  m = /^([0-9]+)#([0-9A-Za-z@_]+)$/.exec(text);
  if (m && m[1] && m[2]) {
    const base = Number(m[1]);
    if (base < 2 || base > 64) throw syntaxError();
    let v = 0n;
    for (const ch of m[2]) {
      let d: number;
      if (/[0-9]/.test(ch)) d = ch.charCodeAt(0) - 48;
      else if (/[a-z]/.test(ch)) d = ch.charCodeAt(0) - 97 + 10;
      else if (/[A-Z]/.test(ch)) d = ch.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
      else if (ch === '@') d = 62;
      else d = 63;
      if (d >= base) throw syntaxError();
      v = wrap(v * BigInt(base) + BigInt(d));
    }
    return v;
  }
  throw syntaxError();
}

/** An lvalue or a value: assignments need the variable's name. */
interface Val {
  v: bigint;
  name?: string;
}

const BINARY_PREC: Record<string, number> = {
  ',': 1,
  '||': 4, '&&': 5, '|': 6, '^': 7, '&': 8,
  '==': 9, '!=': 9, '<': 10, '<=': 10, '>': 10, '>=': 10,
  '<<': 11, '>>': 11, '+': 12, '-': 12, '*': 13, '/': 13, '%': 13, '**': 14,
};
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=']);

const MAX_VAR_DEPTH = 64;

class Evaluator {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: ArithVars,
    private readonly depth: number,
  ) {}

  private peek(): Tok {
    return this.toks[this.pos] ?? { t: 'end' };
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  run(): bigint {
    if (this.peek().t === 'end') return 0n;
    const v = this.expr(1);
    if (this.peek().t !== 'end') throw syntaxError();
    return this.value(v);
  }

  private value(x: Val): bigint {
    if (x.name === undefined) return x.v;
    return this.lookup(x.name);
  }

  private lookup(name: string): bigint {
    const raw = this.vars.get(name);
    if (raw === undefined || raw.trim() === '') return 0n;
    if (/^\s*-?[0-9]+\s*$/.test(raw) && !/^\s*-?0[0-9]/.test(raw)) return wrap(BigInt(raw.trim()));
    if (this.depth >= MAX_VAR_DEPTH) throw new ShellError('expression recursion loop detected');
    return evaluate(raw, this.vars, this.depth + 1);
  }

  private assign(target: Val, v: bigint): Val {
    if (target.name === undefined) throw syntaxError();
    const w = wrap(v);
    this.vars.set(target.name, w.toString());
    return { v: w };
  }

  /** Precedence climbing over binary operators; assignment and ?: handled at their levels. */
  private expr(minPrec: number): Val {
    let left = this.assignment();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op') break;
      const prec = BINARY_PREC[t.v];
      if (prec === undefined || prec < minPrec) break;
      this.pos++;
      // ** is right-associative; the others are left-associative.
      const right = t.v === '**' ? this.expr(prec) : this.expr(prec + 1);
      left = { v: this.binary(t.v, this.value(left), this.value(right)) };
    }
    return left;
  }

  private assignment(): Val {
    const left = this.conditional();
    const t = this.peek();
    if (t.t === 'op' && ASSIGN_OPS.has(t.v)) {
      if (left.name === undefined) throw syntaxError();
      this.pos++;
      const right = this.value(this.expr(2));
      if (t.v === '=') return this.assign(left, right);
      return this.assign(left, this.binary(t.v.slice(0, -1), this.lookup(left.name), right));
    }
    return left;
  }

  private conditional(): Val {
    const cond = this.unaryChain();
    if (!this.isOp('?')) return cond;
    // Evaluate the operand chain at ternary level: binaries bind tighter than ?:.
    return cond;
  }

  /** A unary expression followed by binaries tighter than ?:, then an optional ?: */
  private unaryChain(): Val {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op') break;
      const prec = BINARY_PREC[t.v];
      if (prec === undefined || prec < 4) break;
      this.pos++;
      const right = t.v === '**' ? this.binaryRhs(prec) : this.binaryRhs(prec + 1);
      left = { v: this.binary(t.v, this.value(left), this.value(right)) };
    }
    if (this.isOp('?')) {
      this.pos++;
      const a = this.value(this.expr(2));
      if (!this.isOp(':')) throw syntaxError();
      this.pos++;
      const b = this.value(this.assignment());
      return { v: this.value(left) !== 0n ? a : b };
    }
    return left;
  }

  private binaryRhs(minPrec: number): Val {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op') break;
      const prec = BINARY_PREC[t.v];
      if (prec === undefined || prec < minPrec || prec < 4) break;
      this.pos++;
      const right = t.v === '**' ? this.binaryRhs(prec) : this.binaryRhs(prec + 1);
      left = { v: this.binary(t.v, this.value(left), this.value(right)) };
    }
    return left;
  }

  private unary(): Val {
    const t = this.peek();
    if (t.t === 'op') {
      switch (t.v) {
        case '+':
          this.pos++;
          return { v: this.value(this.unary()) };
        case '-':
          this.pos++;
          return { v: wrap(-this.value(this.unary())) };
        case '!':
          this.pos++;
          return { v: this.value(this.unary()) === 0n ? 1n : 0n };
        case '~':
          this.pos++;
          return { v: wrap(~this.value(this.unary())) };
        case '++':
        case '--': {
          this.pos++;
          const target = this.unary();
          if (target.name === undefined) throw syntaxError();
          return this.assign(target, this.lookup(target.name) + (t.v === '++' ? 1n : -1n));
        }
      }
    }
    return this.postfix();
  }

  private postfix(): Val {
    const p = this.primary();
    const t = this.peek();
    if (p.name !== undefined && t.t === 'op' && (t.v === '++' || t.v === '--')) {
      this.pos++;
      const old = this.lookup(p.name);
      this.assign(p, old + (t.v === '++' ? 1n : -1n));
      return { v: old };
    }
    return p;
  }

  private primary(): Val {
    const t = this.peek();
    this.pos++;
    if (t.t === 'num') return { v: t.v };
    if (t.t === 'name') return { v: 0n, name: t.v };
    if (t.t === 'op' && t.v === '(') {
      const v = this.value(this.expr(1));
      if (!this.isOp(')')) throw syntaxError();
      this.pos++;
      return { v };
    }
    throw syntaxError();
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case ',':
        return b;
      case '||':
        return a !== 0n || b !== 0n ? 1n : 0n;
      case '&&':
        return a !== 0n && b !== 0n ? 1n : 0n;
      case '|':
        return wrap(a | b);
      case '^':
        return wrap(a ^ b);
      case '&':
        return wrap(a & b);
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      case '<':
        return a < b ? 1n : 0n;
      case '<=':
        return a <= b ? 1n : 0n;
      case '>':
        return a > b ? 1n : 0n;
      case '>=':
        return a >= b ? 1n : 0n;
      case '<<':
        return wrap(a << (b & 63n));
      case '>>':
        return wrap(a >> (b & 63n));
      case '+':
        return wrap(a + b);
      case '-':
        return wrap(a - b);
      case '*':
        return wrap(a * b);
      case '/':
        if (b === 0n) throw new ShellError('divide by zero');
        if (b === -1n) return wrap(-a);
        return wrap(a / b);
      case '%':
        if (b === 0n) throw new ShellError('divide by zero');
        if (b === -1n) return 0n;
        return wrap(a % b);
      case '**':
        if (b < 0n) throw new ShellError('exponent less than 0');
        return wrap(BigInt.asIntN(64, a) ** (b > 4096n ? 4096n : b));
    }
    throw syntaxError();
  }
}

/** Evaluates an arithmetic expression (already expanded); throws ShellError. */
export function evaluate(expr: string, vars: ArithVars, depth = 0): bigint {
  return new Evaluator(tokenize(expr), vars, depth).run();
}
