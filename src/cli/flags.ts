/**
 * Command-line flag parsing with the semantics and error texts of spf13/pflag,
 * which docker/cli uses: `--name=v`, `--name v`, `-abc` bundles of booleans,
 * `-n5` / `-n 5` / `-n=5` for shorthands with values, `--` ends flags, and for
 * commands that pass the rest to a program (`run`, `exec`, `create`) parsing
 * stops at the first argument that is not a flag ("interspersed" off).
 *
 * A hand-written parser rather than commander's: Docker's texts
 * ("unknown shorthand flag: 'x' in -x", `invalid argument "maybe" for
 * "-s, --size" flag: strconv.ParseBool: …`) and exit statuses are part of
 * what mydock must reproduce, and they fall out of pflag's algorithm.
 */

export type FlagKind = 'bool' | 'string' | 'list' | 'int' | 'map';

export interface FlagSpec {
  /** Long name without dashes: "detach". */
  name: string;
  /** One-letter shorthand: "d". */
  short?: string;
  kind: FlagKind;
  /** The value's type as help prints it ("string", "list", "filter", "int", "bytes"). */
  valueName?: string;
  description: string;
  /** Default for string/int flags, shown in help as `(default "x")`. */
  defaultValue?: string | number;
  hidden?: boolean;
}

export type FlagValue = boolean | string | number | string[];

export interface ParsedFlags {
  /** Only flags that were given; read through the helpers below. */
  values: Map<string, FlagValue>;
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export interface ParseResult {
  flags: ParsedFlags;
  args: string[];
  /** `-h`/`--help` was given. */
  help: boolean;
}

const BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const BOOL_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function parseBool(text: string): boolean | null {
  if (BOOL_TRUE.has(text)) return true;
  if (BOOL_FALSE.has(text)) return false;
  return null;
}

/** How pflag names a flag in an "invalid argument" error: "-s, --size" or "--rm". */
function flagLabel(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

function setValue(values: Map<string, FlagValue>, spec: FlagSpec, raw: string): void {
  switch (spec.kind) {
    case 'bool': {
      const b = parseBool(raw);
      if (b === null) {
        throw new FlagError(
          `invalid argument "${raw}" for "${flagLabel(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`,
        );
      }
      values.set(spec.name, b);
      return;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) {
        throw new FlagError(
          `invalid argument "${raw}" for "${flagLabel(spec)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`,
        );
      }
      values.set(spec.name, Number.parseInt(raw, 10));
      return;
    }
    case 'list':
    case 'map': {
      const prev = values.get(spec.name);
      values.set(spec.name, Array.isArray(prev) ? [...prev, raw] : [raw]);
      return;
    }
    case 'string':
      values.set(spec.name, raw);
      return;
  }
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], options: { interspersed?: boolean } = {}): ParseResult {
  const interspersed = options.interspersed ?? true;
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.short) byShort.set(s.short, s);
  }
  const values = new Map<string, FlagValue>();
  const args: string[] = [];
  let help = false;

  let i = 0;
  while (i < argv.length) {
    const a = argv[i++]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) {
        if (name === 'help') {
          help = true;
          continue;
        }
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq !== -1) {
        setValue(values, spec, a.slice(eq + 1));
      } else if (spec.kind === 'bool') {
        values.set(spec.name, true);
      } else {
        if (i >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        setValue(values, spec, argv[i++]!);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A bundle of shorthands: booleans, the last (or any) may take a value.
      let rest = a.slice(1);
      while (rest.length > 0) {
        const c = rest[0]!;
        const spec = byShort.get(c);
        if (!spec) {
          if (c === 'h') {
            help = true;
            rest = rest.slice(1);
            continue;
          }
          throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        }
        if (rest.length > 2 && rest[1] === '=') {
          setValue(values, spec, rest.slice(2));
          rest = '';
        } else if (spec.kind === 'bool') {
          values.set(spec.name, true);
          rest = rest.slice(1);
        } else if (rest.length > 1) {
          setValue(values, spec, rest.slice(1));
          rest = '';
        } else {
          if (i >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          setValue(values, spec, argv[i++]!);
          rest = '';
        }
      }
      continue;
    }
    args.push(a);
    if (!interspersed) {
      args.push(...argv.slice(i));
      break;
    }
  }
  return { flags: { values }, args, help };
}

// ---- typed accessors -------------------------------------------------------

export function flagBool(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

export function flagString(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(flags: ParsedFlags, name: string): number | undefined {
  const v = flags.values.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function flagList(flags: ParsedFlags, name: string): string[] {
  const v = flags.values.get(name);
  return Array.isArray(v) ? v : [];
}

export function flagGiven(flags: ParsedFlags, name: string): boolean {
  return flags.values.has(name);
}
