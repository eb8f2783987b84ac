import { describe, expect, it } from 'vitest';
import { imageFiltersFromArgs, pathMatch, pruneOptionsFromArgs } from '../../../src/engine/images/index.js';
import { parseUntil } from '../../../src/engine/filters.js';

describe('image filters as the daemon validates them', () => {
  it('accepts the known keys', () => {
    expect(imageFiltersFromArgs({ dangling: ['true'], reference: ['orc_a_*', 'bbase'], label: ['a=b'], before: ['x:1'] })).toEqual({
      dangling: true,
      reference: ['orc_a_*', 'bbase'],
      label: ['a=b'],
      before: 'x:1',
    });
    expect(imageFiltersFromArgs({ dangling: ['false'] })).toEqual({ dangling: false });
  });
  it.each([
    [{ foo: ['bar'] }, "Invalid filter 'foo'"],
    [{ dangling: ['maybe'] }, "Invalid filter 'dangling=[maybe]'"],
    [{ dangling: ['TRUE'] }, "Invalid filter 'dangling=[TRUE]'"],
    [{ dangling: ['1'] }, "Invalid filter 'dangling=[1]'"],
  ])('rejects %j', (args, message) => {
    expect(() => imageFiltersFromArgs(args)).toThrow(message);
  });
  it('prune filters', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    expect(pruneOptionsFromArgs({ dangling: ['false'], until: ['24h'], 'label!': ['keep'] }, now)).toEqual({
      all: true,
      until: '2026-01-01T00:00:00.000Z',
      labelNot: ['keep'],
    });
    expect(() => pruneOptionsFromArgs({ foo: ['bar'] })).toThrow("Invalid filter 'foo'");
    expect(() => pruneOptionsFromArgs({ until: ['xyz'] })).toThrow('failed to parse value as time or duration: "xyz"');
    expect(parseUntil('1h30m', now)).toBe('2026-01-01T22:30:00.000Z');
    expect(parseUntil('2025-12-31', now)).toBe('2025-12-31T00:00:00.000Z');
    expect(parseUntil('1767225600', now)).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe("Go's path.Match for reference=", () => {
  it.each([
    ['orc_a_*', 'orc_a_final:1.0', true],
    ['orc_a_*', 'orc_b_final:1.0', false],
    ['bbase', 'bbase', true],
    ['acme/*', 'acme/my-base-image', true],
    ['*', 'acme/my-base-image', false],
    ['*/*:1.0', 'acme/my-base-image:1.0', true],
    ['alp?ne', 'alpine', true],
    ['[a-c]lpine', 'alpine', true],
    ['[^a-c]lpine', 'alpine', false],
    ['a\\*', 'a*', true],
  ] as const)('%s ~ %s = %s', (pattern, name, want) => {
    expect(pathMatch(pattern, name)).toBe(want);
  });
  it('bad patterns fail as Docker does', () => {
    expect(() => pathMatch('[', 'x')).toThrow('syntax error in pattern');
  });
});
