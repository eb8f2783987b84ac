/** .dockerignore reading and matching, with cases from moby's patternmatcher and a property test. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IgnoreMatcher, IgnorePatternError, readIgnoreFile } from '../../../src/engine/build/context/ignore.js';

describe('readIgnoreFile', () => {
  it('drops comments and blank lines, trims, cleans paths and leading slashes, keeps exceptions', () => {
    expect(readIgnoreFile('\uFEFF# comment\n\n  *.key  \n/logs/*\n./a//b/\n! /keep\n!logs/keep.log\r\n')).toEqual([
      '*.key',
      'logs/*',
      'a/b',
      '!keep',
      '!logs/keep.log',
    ]);
  });
});

describe('IgnoreMatcher', () => {
  const cases: [string[], string, boolean][] = [
    [['*.key'], 'secret.key', true],
    [['*.key'], 'dir/secret.key', false],
    [['**/*.key'], 'dir/secret.key', true],
    [['**/*.key'], 'secret.key', true],
    [['logs/*', '!logs/keep.log'], 'logs/a.log', true],
    [['logs/*', '!logs/keep.log'], 'logs/keep.log', false],
    [['logs'], 'logs/deep/file', true],
    [['docs/**'], 'docs/a/b', true],
    [['docs/**'], 'docsx', false],
    [['a?c'], 'abc', true],
    [['a?c'], 'a/c', false],
    [['[a-c]x'], 'bx', true],
    [['[a-c]x'], 'dx', false],
    [['*', '!Dockerfile'], 'Dockerfile', false],
    [['*', '!Dockerfile'], 'other', true],
    [['file.txt'], 'fileXtxt', false],
  ];
  it.each(cases)('%j on %s -> %s', (patterns, file, excluded) => {
    expect(new IgnoreMatcher(patterns).matches(file)).toBe(excluded);
  });

  it('refuses malformed patterns with a typed error', () => {
    expect(() => new IgnoreMatcher(['['])).toThrow(IgnorePatternError);
    expect(() => new IgnoreMatcher(['a\\'])).toThrow(IgnorePatternError);
    expect(() => new IgnoreMatcher(['!'])).toThrow(IgnorePatternError);
  });

  it('walks into an excluded directory only when an exception may re-include something below it', () => {
    const m = new IgnoreMatcher(['logs', '!logs/keep.log']);
    expect(m.mayReinclude('logs')).toBe(true);
    expect(m.mayReinclude('other')).toBe(false);
  });

  it('gives a decision or a typed error for any pattern list and path', () => {
    const segment = fc.stringMatching(/^[a-z*?[\]!\\.\/-]{0,6}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.stringMatching(/^[a-z.]{1,4}(\/[a-z.]{1,4}){0,3}$/), (patterns, file) => {
        let m: IgnoreMatcher;
        try {
          m = new IgnoreMatcher(patterns);
        } catch (err) {
          expect(err).toBeInstanceOf(IgnorePatternError);
          return;
        }
        expect(typeof m.matches(file)).toBe('boolean');
      }),
    );
  });
});
