import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFloat } from '../../../src/cli/format/go/float.js';

/** k / 2^j written out exactly, by integer arithmetic: k × 5^j / 10^j. */
function exactDigits(k: bigint, j: number): { digits: string; dp: number } {
  const s = (k * 5n ** BigInt(j)).toString();
  return { digits: s, dp: s.length - j };
}

describe('formatFloat', () => {
  it('prints a double with few binary fraction digits exactly, digit for digit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 40n }), fc.integer({ min: 0, max: 60 }), (k, j) => {
        const x = Number(k) / 2 ** j;
        const { digits, dp } = exactDigits(k, j);
        // %.70e: more digits than the exact expansion holds, so nothing is rounded.
        const printed = formatFloat(x, 'e', 70);
        const [mantissa, exponent] = printed.split('e');
        expect(mantissa!.replace('.', '').replace(/0+$/, '')).toBe(digits.replace(/0+$/, ''));
        expect(Number(exponent)).toBe(dp - 1);
      }),
    );
  });

  it('rounds exact halves to even, as Go does, and other values to nearest', () => {
    expect(formatFloat(1.125, 'g', 3)).toBe('1.12');
    expect(formatFloat(1.375, 'g', 3)).toBe('1.38');
    expect(formatFloat(4.2575, 'g', 3)).toBe('4.26');
    expect(formatFloat(2 ** 60, 'g', 3)).toBe('1.15e+18');
    expect(formatFloat(5e-324, 'e', 2)).toBe('4.94e-324');
  });
});
