/**
 * Shell patterns (fnmatch without flags): `*`, `?`, bracket expressions with
 * ranges, negation (`!` or `^`) and character classes. A backslash makes the
 * next character literal; expansion encodes quoted text that way, so one
 * string carries both the text and which parts of it were quoted.
 */

const SPECIAL = new Set(['*', '?', '[', ']', '\\', '!', '^', '-']);

/** Makes every character of `text` literal in a pattern. */
export function escapePattern(text: string): string {
  let out = '';
  for (const ch of text) out += SPECIAL.has(ch) ? '\\' + ch : ch;
  return out;
}

/** True when the pattern has an unescaped `*`, `?` or `[` (so it may match more than itself). */
export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
    // "[" opens a bracket expression only with a "]" after it ("[" alone, as in
    // `while [ … ]`, is a plain word: no directory needs reading for it).
    else if (c === '[' && pattern.indexOf(']', i + 2) !== -1) return true;
  }
  return false;
}

/** Removes the escapes: the text a pattern stands for when it matches nothing. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\([\s\S])/g, '$1');
}

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

const reEscape = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Parses a bracket expression at `start` (the `[`); returns the regex class and the index after `]`, or null if unterminated. */
function bracket(p: string, start: number): { re: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    let c = p[i] ?? '';
    if (c === ']' && !first) {
      if (body === '') return null;
      return { re: `[${negate ? '^' : ''}${body}]`, end: i + 1 };
    }
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      if (close !== -1) {
        const cls = CLASSES[p.slice(i + 2, close)];
        if (cls !== undefined) {
          body += cls;
          i = close + 2;
          continue;
        }
      }
    }
    if (c === '\\' && i + 1 < p.length) {
      i++;
      c = p[i] ?? '';
    }
    i++;
    if (p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
      let hi = p[i + 1] ?? '';
      i += 2;
      if (hi === '\\' && i < p.length) {
        hi = p[i] ?? '';
        i++;
      }
      if (hi >= c) body += `${reEscape(c)}-${reEscape(hi)}`;
      continue;
    }
    body += reEscape(c);
  }
  return null;
}

const cache = new Map<string, RegExp>();

export interface PatternOptions {
  /** FNM_PATHNAME: "*", "?" and brackets never match "/". */
  pathname?: boolean;
  /** FNM_CASEFOLD: letters match either case (find -iname). */
  icase?: boolean;
}

/**
 * The pattern as an anchored regular expression: the shell's patterns, and
 * fnmatch(3) for the programs that match names (find -name/-path, tar's
 * operands and --exclude). FNM_PERIOD is off: a leading "." is matched like
 * any character.
 */
export function patternToRegex(pattern: string, options: PatternOptions = {}): RegExp {
  const pathname = options.pathname ?? false;
  const key = (pathname ? 'p' : 'n') + (options.icase ? 'i' : 'c') + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  const any = pathname ? '[^/]' : '[\\s\\S]';
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      re += reEscape(pattern[i + 1] ?? '');
      i++;
    } else if (c === '*') {
      re += any + '*';
    } else if (c === '?') {
      re += any;
    } else if (c === '[') {
      const b = bracket(pattern, i);
      if (b) {
        re += pathname ? `(?!/)${b.re}` : b.re;
        i = b.end - 1;
      } else re += '\\[';
    } else re += reEscape(c);
  }
  const compiled = new RegExp(`^${re}$`, options.icase ? 'i' : '');
  if (cache.size > 2000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

export function matchPattern(pattern: string, text: string): boolean {
  if (!hasGlobChars(pattern)) return unescapePattern(pattern) === text;
  return patternToRegex(pattern).test(text);
}
