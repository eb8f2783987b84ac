/**
 * Backslash escapes as busybox's bb_process_escape_sequence handles them for
 * echo -e, printf's format and printf %b. Works on byte strings.
 */

export interface Unescaped {
  text: string;
  /** "\c" was met: print nothing more. */
  stop: boolean;
}

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * `octalZero`: echo and %b read "\0NNN" (a zero, then up to three octal
 * digits); printf's format reads "\NNN".
 */
export function unescape(s: string, mode: 'echo' | 'format' | 'percent-b'): Unescaped {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    if (n === 'c' && mode !== 'format') return { text: out, stop: true };
    if (SIMPLE[n] !== undefined) {
      out += SIMPLE[n];
      i++;
      continue;
    }
    if (n === '"' && mode === 'format') {
      out += '"';
      i++;
      continue;
    }
    if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += 1 + m[0].length;
        continue;
      }
      out += '\\';
      continue;
    }
    if (/[0-7]/.test(n)) {
      let start = i + 1;
      // echo -e and %b: "\0" introduces up to three more octal digits.
      if (mode !== 'format' && n === '0') start = i + 2;
      const m = /^[0-7]{1,3}/.exec(s.slice(start));
      const digits = m ? m[0] : '';
      out += String.fromCharCode(digits === '' ? 0 : parseInt(digits, 8) & 0xff);
      i = start + digits.length - 1;
      continue;
    }
    out += '\\';
  }
  return { text: out, stop: false };
}
