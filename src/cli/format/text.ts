/** Small text helpers docker/cli's formatters share (stringid, Ellipsis, strconv.Quote). */
import { codePointWidth, isNarrowText, stringWidth } from './runewidth.js';

/** stringid.TruncateID: drop the algorithm, keep 12 hex digits. */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return hex.slice(0, 12);
}

/** formatter.Ellipsis: cut to `width` display columns, the last being "…". */
export function ellipsis(text: string, width: number): string {
  // One cell per UTF-16 unit: cut by length.
  if (width >= 1 && isNarrowText(text)) return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    // Widths add up per code point, and `for…of` never splits one.
    used += codePointWidth(ch.codePointAt(0)!);
    if (used > width - 1) break;
    out += ch;
  }
  return out + '…';
}

/** Go's strconv.Quote for the characters a command line holds (ps COMMAND). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
