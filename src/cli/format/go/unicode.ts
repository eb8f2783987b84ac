/**
 * The Unicode classes Go's text/template and fmt test characters against.
 * ASCII is answered without a regular expression: V8 compiles a `\p{...}`
 * expression when it is built and on first use, which costs milliseconds
 * of every command that renders a table, while almost every field name and
 * cell is ASCII.
 */
import { LazyRegExp } from '../lazy-regexp.js';

const LETTER_OR_DIGIT = new LazyRegExp('^[\\p{L}\\p{Nd}]$', 'u');
const UPPER_START = new LazyRegExp('^\\p{Lu}', 'u');

/** unicode.IsLetter(c) || unicode.IsDigit(c), for one character. */
export function isLetterOrDigit(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
  return LETTER_OR_DIGIT.test(c);
}

/** token.IsExported: the name starts with an upper-case letter. */
export function isExported(name: string): boolean {
  const code = name.charCodeAt(0);
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return code >= 0x41 && code <= 0x5a;
  return UPPER_START.test(name);
}
