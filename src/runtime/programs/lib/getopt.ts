/**
 * Option parsing as busybox's getopt32 does it on top of glibc's getopt_long:
 * bundled short flags (`-la`), an option argument glued or separate (`-n5`,
 * `-n 5`), `--` ends the options, and options may follow operands (GNU
 * permutation) unless the spec starts with "+" (env, xargs: everything after
 * the first operand belongs to the command they run).
 *
 * Errors carry glibc's texts, which busybox prints before its usage:
 *   invalid option -- 'x'
 *   unrecognized option '--xyz'
 *   option requires an argument -- 'n'
 *   option '--xyz' requires an argument
 */

export interface LongOption {
  /** The short letter (or any key) the option sets. */
  key: string;
  arg: 'none' | 'required' | 'optional';
}

export interface OptSpec {
  /** getopt letters; "x:" takes an argument; a leading "+" stops at the first operand. */
  short: string;
  long?: Record<string, LongOption>;
}

export interface Parsed {
  /** How many times each option key was given. */
  count: Map<string, number>;
  /** The arguments of each option key, in order. */
  values: Map<string, string[]>;
  /** Option keys in the order given (for "last one wins" pairs like -t/-S). */
  order: string[];
  args: string[];
}

export class OptError extends Error {
  constructor(readonly text: string) {
    super(text);
    this.name = 'OptError';
  }
}

export function has(p: Parsed, key: string): boolean {
  return (p.count.get(key) ?? 0) > 0;
}

export function last(p: Parsed, key: string): string | undefined {
  const v = p.values.get(key);
  return v === undefined ? undefined : v[v.length - 1];
}

/** Parses `argv` (without argv[0]); throws OptError with glibc's text. */
export function getopt(argv: string[], spec: OptSpec): Parsed {
  const stopAtOperand = spec.short.startsWith('+');
  const letters = stopAtOperand ? spec.short.slice(1) : spec.short;
  const takesArg = new Map<string, boolean>();
  for (let i = 0; i < letters.length; i++) {
    const c = letters[i]!;
    if (c === ':') continue;
    takesArg.set(c, letters[i + 1] === ':');
  }
  const out: Parsed = { count: new Map(), values: new Map(), order: [], args: [] };
  const set = (key: string, value?: string): void => {
    out.count.set(key, (out.count.get(key) ?? 0) + 1);
    out.order.push(key);
    if (value !== undefined) {
      const list = out.values.get(key) ?? [];
      list.push(value);
      out.values.set(key, list);
    }
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      const opt = matchLong(spec.long ?? {}, name, a);
      if (opt.arg === 'none') {
        if (eq !== -1) throw new OptError(`option '--${opt.name}' doesn't allow an argument`);
        set(opt.key);
      } else if (eq !== -1) {
        set(opt.key, a.slice(eq + 1));
      } else if (opt.arg === 'required') {
        if (i + 1 >= argv.length) throw new OptError(`option '--${opt.name}' requires an argument`);
        set(opt.key, argv[++i]!);
      } else {
        set(opt.key, '');
      }
      continue;
    }
    if (a.length < 2 || a[0] !== '-') {
      if (stopAtOperand) break;
      out.args.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const needs = takesArg.get(c);
      if (needs === undefined) throw new OptError(`invalid option -- '${c}'`);
      if (!needs) {
        set(c);
        continue;
      }
      if (j + 1 < a.length) set(c, a.slice(j + 1));
      else if (i + 1 < argv.length) set(c, argv[++i]!);
      else throw new OptError(`option requires an argument -- '${c}'`);
      break;
    }
  }
  out.args.push(...argv.slice(i));
  return out;
}

/** glibc accepts any unambiguous prefix of a long option. */
function matchLong(long: Record<string, LongOption>, name: string, given: string): LongOption & { name: string } {
  const exact = long[name];
  if (exact) return { ...exact, name };
  const cands = Object.keys(long).filter((k) => k.startsWith(name));
  if (name !== '' && cands.length === 1) return { ...long[cands[0]!]!, name: cands[0]! };
  if (cands.length > 1 && name !== '') throw new OptError(`option '${given.split('=')[0]}' is ambiguous`);
  throw new OptError(`unrecognized option '${given}'`);
}
