import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTime, timeSortKey } from '../../src/engine/go-time-order.js';

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

describe('timeSortKey', () => {
  it('sorts as compareTime orders', () => {
    const instant = fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }));
    fc.assert(
      fc.property(instant, instant, ([sa, na], [sb, nb]) => {
        const a = goRfc3339Nano(sa, na);
        const b = goRfc3339Nano(sb, nb);
        const [ka, kb] = [timeSortKey(a), timeSortKey(b)];
        expect(Math.sign(ka < kb ? -1 : ka > kb ? 1 : 0)).toBe(Math.sign(compareTime(a, b)));
      }),
    );
  });

  it('puts a time written with an offset where it belongs', () => {
    expect(timeSortKey('2026-11-22T10:00:00.5+09:00')).toBe('2026-11-22T01:00:00.500000000');
    expect(timeSortKey('2026-11-22T01:00:00Z')).toBe('2026-11-22T01:00:00.000000000');
  });
});
