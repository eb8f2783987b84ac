import { describe, it, expect } from 'vitest';
import { codePointWidth, stringWidth } from '../../../src/cli/format/runewidth.js';
import { ellipsis } from '../../../src/cli/format/text.js';

/** The width as the code-point walk gives it, without the printable-ASCII shortcut. */
function walkedWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += codePointWidth(ch.codePointAt(0)!);
  return w;
}

describe('stringWidth (go-runewidth, non-CJK locale)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['~ !', 3],
    ['e\u0301', 1], // a combining accent takes no cell
    ['a\u200bb', 2], // zero-width space
    ['名前', 4],
    ['한국', 4],
    ['\u3000', 2], // ideographic space
    ['Ａ', 2], // fullwidth Latin
    ['…', 1], // ambiguous width counts 1
    ['\u00e9t\u00e9', 3], // Latin letters
    ['\u00ad\u02ff', 2], // below U+0300 every character counts 1, a soft hyphen too
    ['\u00a0', 1],
    ['😀x', 3], // a surrogate pair is one wide code point
    ['\ud800x', 2], // a lone surrogate counts as one narrow character
    ['x\udc00', 2],
    ['a\x01b\x7f', 2], // control characters take no cell
    ['tab\there', 7],
  ])('%j is %i cells wide', (text, width) => {
    expect(stringWidth(text)).toBe(width);
    expect(walkedWidth(text)).toBe(width);
  });

  it('agrees with the code-point walk on mixed text', () => {
    const pieces = ['a', ' ', '名', '…', 'e\u0301', '😀', '\ud800', '\x01', 'Z'];
    for (let i = 0; i < 500; i++) {
      let text = '';
      for (let j = 0; j < i % 13; j++) text += pieces[(i * 7 + j * 3) % pieces.length];
      expect(stringWidth(text)).toBe(walkedWidth(text));
    }
  });
});

describe('ellipsis (formatter.Ellipsis)', () => {
  it.each([
    ['sh -c echo hello world', 20, 'sh -c echo hello wo…'],
    ['exactly twenty chars', 20, 'exactly twenty chars'],
    ['abc', 1, '…'],
    ['abc', 0, '…'],
    ['名前名前名前名前名前名前', 9, '名前名前…'],
    ['ab名前', 4, 'ab…'],
    ['e\u0301e\u0301e\u0301', 2, 'e\u0301…'],
    ['😀😀😀', 5, '😀😀…'],
    ['\u00e9\u00e9\u00e9\u00e9', 3, '\u00e9\u00e9…'],
    ['ab…cd', 4, 'ab……'],
    ['名前', 4, '名前'],
  ])('%j cut to %i is %j', (text, width, expected) => {
    expect(ellipsis(text, width)).toBe(expected);
  });
});
