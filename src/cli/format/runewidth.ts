/**
 * Display width of text in terminal cells, as github.com/mattn/go-runewidth
 * computes it for docker/cli's tab writer: East Asian wide and fullwidth
 * characters count 2, combining marks and zero-width characters 0,
 * everything else 1. (Ambiguous-width characters count 1, go-runewidth's
 * default outside CJK locales.)
 */

import { LazyRegExp } from './lazy-regexp.js';

// Ranges of East Asian Wide (W) and Fullwidth (F) code points, condensed.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function inRanges(cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const ZERO_WIDTH = new LazyRegExp('^[\\p{Mn}\\p{Me}\\p{Cf}]$', 'u');

/** Width of one code point. */
export function codePointWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

/**
 * Text whose every character is one UTF-16 unit and one cell wide: printable
 * ASCII, U+00A0 to U+02FF (Latin letters, all narrow: see codePointWidth)
 * and "…", which truncated cells end with. Its width is its length. That is
 * nearly every table cell, and one native regular-expression test is far
 * cheaper than walking the code points, above all in a short-lived CLI
 * whose code never gets optimised.
 */
const NARROW = /^[\x20-\x7e\xa0-\u02ff\u2026]*$/;

export function isNarrowText(text: string): boolean {
  return NARROW.test(text);
}

/** Widths of the other code points met so far: codePointWidth may run a Unicode regex. */
const widthCache = new Map<number, number>();

function cachedWidth(cp: number): number {
  let w = widthCache.get(cp);
  if (w === undefined) widthCache.set(cp, (w = codePointWidth(cp)));
  return w;
}

/** Width of a string in terminal cells. */
export function stringWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  let w = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      w++;
      continue;
    }
    let cp = c;
    // A surrogate pair is one code point; a lone surrogate counts as itself, as `for…of` yields it.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    w += cachedWidth(cp);
  }
  return w;
}
