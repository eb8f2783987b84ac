/**
 * Executes a parsed template against JavaScript values standing for Go
 * values (see ../go/values.ts), following text/template's exec.go: field and
 * method lookup, function calls with Go's argument checking, if/with/range
 * (with break and continue), variables, and Go's error texts and positions
 * (`template: :1:2: executing "" at <.Foo>: ...`).
 */
import { TemplateExecError } from './errors.js';
import { nodeString, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type NumberNode, type PipeNode, type RangeNode, type VariableNode } from './nodes.js';
import type { TreeSet } from './parser.js';
import { GoFloat, GoNil, goTypeName, isTrue, kindOf, sortedEntries } from '../go/values.js';
import { formatValue } from '../go/print.js';
import { isExported } from '../go/unicode.js';

/** Go parameter types the executor checks arguments against. */
export type ParamType = 'any' | 'string' | 'int' | 'bool' | 'float64' | '[]string';

/**
 * A template function. `call` returns the result or throws; a thrown
 * error's message becomes "error calling NAME: MESSAGE", like a Go function
 * returning a non-nil error.
 */
export interface GoFunction {
  params: ParamType[];
  /** Type of the variadic tail, if the function is variadic. */
  variadic?: ParamType;
  call(...args: unknown[]): unknown;
}

export type FuncMap = ReadonlyMap<string, GoFunction>;

/** What a missing map key yields: `<no value>` (default), the zero value, or an error. */
export type MissingKey = 'default' | 'zero' | 'error';

export interface ExecOptions {
  funcs: FuncMap;
  missingKey?: MissingKey;
  /** Template name, "" for docker/cli's templates. */
  name?: string;
}

const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

class Control {
  constructor(readonly kind: 'break' | 'continue') {}
}

interface Variable {
  name: string;
  value: unknown;
}

const MAX_EXEC_DEPTH = 100000;

/** Byte offset of a UTF-16 position, as Go reports positions. */
function byteOffset(text: string, pos: number): number {
  return Buffer.byteLength(text.slice(0, pos), 'utf8');
}

class State {
  private node: Node | null = null;
  private vars: Variable[];
  private out: string[] = [];

  constructor(
    private readonly text: string,
    private readonly trees: TreeSet,
    private readonly opts: Required<ExecOptions>,
    dot: unknown,
    private readonly depth = 0,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  result(): string {
    return this.out.join('');
  }

  private at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.opts.name;
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const before = this.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? byteOffset(this.text, pos) : byteOffset(this.text, pos) - byteOffset(this.text, nl + 1);
    throw new TemplateExecError(
      `template: ${name}:${line}:${col}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${msg}`,
    );
  }

  // --- variables ---

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private push(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.out.push(node.text);
        return;
      case 'if':
      case 'with': {
        const mark = this.mark();
        const val = this.evalPipeline(dot, node.pipe);
        if (isTrue(val)) this.walk(node.type === 'with' ? val : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.pop(mark);
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node.name, node.pipe);
        return;
      case 'break':
        throw new Control('break');
      case 'continue':
        throw new Control('continue');
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: unknown, r: RangeNode): void {
    this.at(r);
    const outer = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const decl = r.pipe.decl;
    const one = (index: unknown, elem: unknown): boolean => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
        else this.setTopVar(1, elem);
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
        else this.setTopVar(2, index);
      }
      try {
        this.walk(elem, r.list);
      } catch (e) {
        if (!(e instanceof Control)) throw e;
        if (e.kind === 'break') return false;
      } finally {
        this.pop(mark);
      }
      return true;
    };
    let iterated = false;
    switch (kindOf(val)) {
      case 'slice': {
        const items = val instanceof GoNil ? [] : (val as unknown[]);
        for (let i = 0; i < items.length; i++) {
          iterated = true;
          if (!one(i, items[i])) break;
        }
        break;
      }
      case 'map':
        for (const [k, v] of sortedEntries(val instanceof GoNil ? {} : val)) {
          iterated = true;
          if (!one(k, v)) break;
        }
        break;
      case 'int': {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val, 'v', plain, 0)} to iterate over more than one variable`);
        const n = Number(val);
        for (let i = 0; i < n; i++) {
          iterated = true;
          if (!one(i, i)) break;
        }
        break;
      }
      case 'invalid':
        break;
      default:
        this.errorf(`range can't iterate over ${formatValue(val, 'v', plain, 0)}`);
    }
    if (!iterated && r.elseList) this.walk(dot, r.elseList);
    this.pop(outer);
  }

  private walkTemplate(dot: unknown, name: string, pipe: PipeNode | null): void {
    const tree = this.trees.get(name);
    if (!tree) this.errorf(`template ${JSON.stringify(name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = pipe ? this.evalPipeline(dot, pipe) : null;
    const sub = new State(this.text, this.trees, this.opts, newDot, this.depth + 1);
    try {
      sub.walk(newDot, tree);
    } catch (e) {
      // JavaScript's stack is shallower than Go's: deep recursion through
      // {{template}} ends here with Go's message rather than a crash.
      if (e instanceof RangeError) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
      throw e;
    }
    this.out.push(sub.result());
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (v === null) {
      this.out.push('<no value>');
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${goTypeName(v)}`);
    this.out.push(formatValue(v, 'v', plain, 0));
  }

  // --- evaluation ---

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.push(v.ident[0]!, value);
    }
    return value;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
      default:
        this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
    }
  }

  private idealConstant(c: NumberNode): unknown {
    this.at(c);
    const isHexInt = /^[+-]?0[xX]/.test(c.text) && !/[pP]/.test(c.text);
    const isRune = c.text.startsWith("'");
    if (c.isFloat && !isHexInt && !isRune && /[.eEpP]/.test(c.text)) return new GoFloat(c.float);
    if (c.isInt) {
      if (c.int > BigInt(Number.MAX_SAFE_INTEGER) || c.int < BigInt(Number.MIN_SAFE_INTEGER)) return c.int;
      return Number(c.int);
    }
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return null;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[] | null, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null, final: Final): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[] | null, final: Final): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      else if (final !== MISSING) this.notAFunction([v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: Node[] | null, final: Final): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): unknown {
    this.at(node);
    const fn = this.opts.funcs.get(node.ident);
    if (!fn) this.errorf(`${JSON.stringify(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final, true);
  }

  private evalField(dot: unknown, fieldName: string, node: Node, args: Node[] | null, final: Final, receiver: unknown): unknown {
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const kind = kindOf(receiver);
    if (kind === 'invalid') {
      if (this.opts.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
      return null;
    }
    if (kind === 'struct') {
      const obj = receiver as Record<string, unknown>;
      if (fieldName in obj && !(receiver instanceof Date)) {
        const member = obj[fieldName];
        if (!isExported(fieldName)) this.errorf(`${fieldName} is an unexported field of struct type ${goTypeName(receiver)}`);
        if (typeof member === 'function') {
          const fn = member as (...a: unknown[]) => unknown;
          const method: GoFunction = { params: Array<ParamType>(fn.length).fill('any'), call: (...a) => fn.apply(obj, a) };
          return this.evalCall(dot, method, node, fieldName, args, final, false);
        }
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return member;
      }
    } else if (kind === 'map') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const map = receiver instanceof GoNil ? {} : (receiver as Record<string, unknown>);
      if (Object.prototype.hasOwnProperty.call(map, fieldName)) return map[fieldName];
      if (this.opts.missingKey === 'error') this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
      if (this.opts.missingKey === 'zero' && receiver instanceof GoNil === false && goTypeName(receiver) === 'map[string]string') return '';
      return null;
    } else if (kind === 'nilptr') {
      this.errorf(`nil pointer evaluating ${goTypeName(receiver)}.${fieldName}`);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${goTypeName(receiver)}`);
  }

  private evalCall(dot: unknown, fn: GoFunction, node: Node, name: string, argNodes: Node[] | null, final: Final, isBuiltinCandidate: boolean): unknown {
    const args = argNodes ? argNodes.slice(1) : [];
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    // and/or evaluate their arguments lazily and stop at the deciding one.
    if (isBuiltinCandidate && (fn === AND || fn === OR)) {
      let v: unknown = null;
      for (const a of args) {
        v = this.evalArg(dot, 'any', a);
        if (isTrue(v) === (fn === OR)) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, args[i]!));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    if (final !== MISSING) {
      let t: ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic;
      else t = fn.params[fn.params.length - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.call(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private validateType(value: unknown, typ: ParamType): unknown {
    if (typ === 'any') return value;
    if (value === null) {
      if (typ === '[]string') return new GoNil('slice', '[]string');
      this.errorf(`invalid value; expected ${typ}`);
    }
    const k = kindOf(value);
    const ok =
      (typ === 'string' && k === 'string') ||
      (typ === 'int' && k === 'int') ||
      (typ === 'bool' && k === 'bool') ||
      (typ === 'float64' && k === 'float') ||
      (typ === '[]string' &&
        ((value instanceof GoNil && value.kind === 'slice') ||
          (Array.isArray(value) && value.every((e) => typeof e === 'string'))));
    if (!ok) this.errorf(`wrong type for value; expected ${typ}; got ${goTypeName(value)}`);
    if (typ === 'int') return typeof value === 'bigint' ? Number(value) : value;
    return value;
  }

  private evalArg(dot: unknown, typ: ParamType, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any') return null;
        if (typ === '[]string') return new GoNil('slice', '[]string');
        this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
      default:
        break;
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return Number(n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return new GoFloat(n.float);
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'any':
        switch (n.type) {
          case 'bool':
            return n.value;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
          default:
            break;
        }
        this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
      default:
        this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
    }
  }
}

const plain = { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false };

/** The builtin and/or: recognised by identity so they can short-circuit. */
export const AND: GoFunction = { params: ['any'], variadic: 'any', call: () => null };
export const OR: GoFunction = { params: ['any'], variadic: 'any', call: () => null };

/** Runs the tree named `name` ("" is the main one) with `dot` as data; returns the output or throws TemplateExecError. */
export function execute(text: string, trees: TreeSet, dot: unknown, options: ExecOptions): string {
  const opts: Required<ExecOptions> = { missingKey: 'default', name: '', ...options };
  const root: ListNode | undefined = trees.get(opts.name);
  const state: State = new State(text, trees, opts, dot);
  if (!root) state.errorf(`${JSON.stringify(opts.name)} is an incomplete or empty template`);
  try {
    state.walk(dot, root);
  } catch (e) {
    if (e instanceof TemplateExecError) e.partial = state.result();
    throw e;
  }
  return state.result();
}
