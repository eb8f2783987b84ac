/**
 * Go's path.Match, which `docker images --filter reference=PATTERN` uses on
 * familiar references: `*` is any run of characters except "/", `?` one such
 * character, `[a-z]` / `[^a-z]` classes, `\` escapes the next character.
 */
import { DaemonError } from '../errors.js';

export const BAD_PATTERN = 'syntax error in pattern';

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

export function globToRegExp(pattern: string): RegExp {
  let re = '^';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) throw new DaemonError(BAD_PATTERN, 'BAD_PATTERN');
      re += escapeRe(next);
    } else if (c === '[') {
      let cls = '';
      i++;
      if (chars[i] === '^') {
        cls += '^';
        i++;
      }
      let items = 0;
      for (;;) {
        const d = chars[i];
        if (d === undefined) throw new DaemonError(BAD_PATTERN, 'BAD_PATTERN');
        if (d === ']' && items > 0) break;
        let lo = d;
        if (lo === '\\') {
          lo = chars[++i] ?? '';
          if (lo === '') throw new DaemonError(BAD_PATTERN, 'BAD_PATTERN');
        }
        i++;
        if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
          let hi = chars[i + 1]!;
          i += 2;
          if (hi === '\\') {
            hi = chars[i++] ?? '';
            if (hi === '') throw new DaemonError(BAD_PATTERN, 'BAD_PATTERN');
          }
          if (hi < lo) throw new DaemonError(BAD_PATTERN, 'BAD_PATTERN');
          cls += `${escapeRe(lo)}-${escapeRe(hi)}`;
        } else cls += escapeRe(lo);
        items++;
      }
      re += `[${cls}]`;
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`, 'u');
}

export function pathMatch(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
