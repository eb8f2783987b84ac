/**
 * The build state's container config (Docker's `runConfig`) and the texts
 * the classic builder derives from it: the `#(nop)` commands that become
 * `container_config.Cmd` and the history's CREATED BY.
 */
import type { ContainerConfig, HealthConfig } from '../images/index.js';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A deep copy, so one step's changes never reach an earlier image's config. */
export function cloneConfig(c: ContainerConfig): ContainerConfig {
  return JSON.parse(JSON.stringify(c)) as ContainerConfig;
}

export function shellOf(c: ContainerConfig): string[] {
  return c.Shell && c.Shell.length > 0 ? [...c.Shell] : [...DEFAULT_SHELL];
}

/** withCmdComment: `[shell..., "#(nop) ", comment]` (two spaces in CREATED BY). */
export function nopCmd(c: ContainerConfig, comment: string): string[] {
  return [...shellOf(c), '#(nop) ', comment];
}

/** withCmdCommentString: `[shell..., "#(nop) COPY … in /x "]` (one space). */
export function nopCmdString(c: ContainerConfig, comment: string): string[] {
  return [...shellOf(c), `#(nop) ${comment}`];
}

/** Go's %q for a string: double quotes, Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Go's %q for a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

/** Go's %v for a []string: `[a b]`. */
export function goList(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}

/** time.Duration.String() for whole nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  if (u < 1e9) {
    const units: [number, string][] = [
      [1e6, 'ms'],
      [1e3, 'µs'],
      [1, 'ns'],
    ];
    for (const [size, name] of units) if (u >= size) return (neg ? '-' : '') + trimFraction(u / size) + name;
  }
  const h = Math.floor(u / 3600e9);
  u -= h * 3600e9;
  const m = Math.floor(u / 60e9);
  u -= m * 60e9;
  const s = trimFraction(u / 1e9);
  let out = '';
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  return (neg ? '-' : '') + out + `${s}s`;
}

function trimFraction(v: number): string {
  return String(Number(v.toFixed(9)));
}

/** Go's %q for an int: a quoted rune ('\x03'). */
function goQuoteRune(n: number): string {
  if (n >= 0x20 && n < 0x7f && n !== 0x27 && n !== 0x5c) return `'${String.fromCharCode(n)}'`;
  if (n === 0x27) return "'\\''";
  if (n === 0x5c) return "'\\\\'";
  if (n === 7) return "'\\a'";
  if (n === 8) return "'\\b'";
  if (n === 9) return "'\\t'";
  if (n === 10) return "'\\n'";
  if (n === 11) return "'\\v'";
  if (n === 12) return "'\\f'";
  if (n === 13) return "'\\r'";
  if (n < 0x80) return `'\\x${n.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCodePoint(n)}'`;
}

/** `HEALTHCHECK %q` of the *HealthConfig, as the 20.10 builder formats it. */
export function healthcheckComment(h: HealthConfig): string {
  const test = goQuoteList(h.Test ?? []);
  const d = (v: number | undefined) => goQuote(goDuration(v ?? 0));
  return `HEALTHCHECK &{${test} ${d(h.Interval)} ${d(h.Timeout)} ${d(h.StartPeriod)} ${goQuoteRune(h.Retries ?? 0)}}`;
}

/** Docker's Go duration parser for HEALTHCHECK flags ("30s", "1m30s", "1.5s"), in nanoseconds. */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return Math.round(total);
}

/**
 * image/cache's compare: the fields the classic builder's cache looks at
 * when it asks "was a child of this image made by the same instruction?".
 */
export function sameForCache(a: ContainerConfig, b: ContainerConfig): boolean {
  if (a.OpenStdin || b.OpenStdin) return false;
  if ((a.User ?? '') !== (b.User ?? '') || Boolean(a.Tty) !== Boolean(b.Tty)) return false;
  const list = (x: string[] | null | undefined) => JSON.stringify(x ?? []);
  const map = (x: Record<string, unknown> | null | undefined) => JSON.stringify(Object.entries(x ?? {}).sort());
  return (
    list(a.Cmd) === list(b.Cmd) &&
    list(a.Env) === list(b.Env) &&
    list(a.Entrypoint) === list(b.Entrypoint) &&
    map(a.Labels) === map(b.Labels) &&
    map(a.ExposedPorts) === map(b.ExposedPorts) &&
    map(a.Volumes) === map(b.Volumes)
  );
}
