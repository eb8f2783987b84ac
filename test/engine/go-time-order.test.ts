import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTime, sortNewestFirst } from '../../src/engine/go-time-order.js';

/** Go's RFC3339Nano in UTC: the fraction's trailing zeros dropped, none for a whole second. */
function goRfc3339Nano(seconds: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const frac = nanos === 0 ? '' : '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac}Z`;
}

describe('compareTime', () => {
  it('orders Go time strings as the instants they name', () => {
    const instant = fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }));
    fc.assert(
      fc.property(instant, instant, ([sa, na], [sb, nb]) => {
        const expected = Math.sign(sa - sb || na - nb);
        expect(Math.sign(compareTime(goRfc3339Nano(sa, na), goRfc3339Nano(sb, nb)))).toBe(expected);
      }),
    );
  });

  it('reads offsets other than Z', () => {
    expect(compareTime('2026-11-22T10:00:00+09:00', '2026-11-22T02:00:00Z')).toBeLessThan(0);
  });
});

describe('sortNewestFirst', () => {
  it('orders as compareTime does, newest first, keeping equal times in their order', () => {
    const instant = fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }));
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 30 }), (instants) => {
        const items = instants.map(([s, n], i) => ({ i, at: goRfc3339Nano(s, n) }));
        const sorted = sortNewestFirst(items, (x) => x.at);
        for (let k = 1; k < sorted.length; k++) {
          const order = compareTime(sorted[k - 1]!.at, sorted[k]!.at);
          expect(order).toBeGreaterThanOrEqual(0);
          if (order === 0) expect(sorted[k - 1]!.i).toBeLessThan(sorted[k]!.i);
        }
        expect(sorted.map((x) => x.i).sort((a, b) => a - b)).toEqual(items.map((x) => x.i));
      }),
    );
  });
});
