/** Go's strconv.Unquote and UnquoteChar for template string and character literals. */

export class SyntaxError_ extends Error {}

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Decodes one escape starting after the backslash at s[i]; returns [text, next index]. */
function unescape(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  if (c === undefined) throw new SyntaxError_('invalid syntax');
  if (SIMPLE[c] !== undefined) return [SIMPLE[c]!, i + 1];
  if (c === quote) return [c, i + 1];
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const h = s.slice(i + 1, i + 1 + hexLen);
    if (h.length !== hexLen || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxError_('invalid syntax');
    const v = parseInt(h, 16);
    if (c === 'x') return [String.fromCharCode(v), i + 1 + hexLen];
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_('invalid syntax');
    return [String.fromCodePoint(v), i + 1 + hexLen];
  }
  if (c >= '0' && c <= '7') {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o)) throw new SyntaxError_('invalid syntax');
    const v = parseInt(o, 8);
    if (v > 255) throw new SyntaxError_('invalid syntax');
    return [String.fromCharCode(v), i + 3];
  }
  throw new SyntaxError_('invalid syntax');
}

/** strconv.Unquote for "..." and `...` literals. Throws SyntaxError_("invalid syntax"). */
export function unquote(lit: string): string {
  if (lit.length < 2) throw new SyntaxError_('invalid syntax');
  const q = lit[0]!;
  if (q !== lit[lit.length - 1]) throw new SyntaxError_('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError_('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"') throw new SyntaxError_('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === '"' || c === '\n') throw new SyntaxError_('invalid syntax');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const [t, next] = unescape(body, i + 1, '"');
    out += t;
    i = next;
  }
  return out;
}

/** The code point of a character literal such as 'a' or '\n'. */
export function unquoteChar(lit: string): number {
  if (lit.length < 3 || lit[0] !== "'" || lit[lit.length - 1] !== "'") throw new SyntaxError_('invalid syntax');
  const body = lit.slice(1, -1);
  let text: string;
  if (body[0] === '\\') {
    const [t, next] = unescape(body, 1, "'");
    if (next !== body.length) throw new SyntaxError_('invalid syntax');
    text = t;
  } else {
    if ([...body].length !== 1 || body === "'") throw new SyntaxError_('invalid syntax');
    text = body;
  }
  return text.codePointAt(0)!;
}
