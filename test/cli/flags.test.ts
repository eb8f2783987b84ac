import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlagError, flagBool, flagInt, flagList, flagString, parseFlags, type FlagSpec } from '../../src/cli/flags.js';

const specs: FlagSpec[] = [
  { name: 'detach', short: 'd', kind: 'bool', description: '' },
  { name: 'interactive', short: 'i', kind: 'bool', description: '' },
  { name: 'tty', short: 't', kind: 'bool', description: '' },
  { name: 'name', kind: 'string', description: '' },
  { name: 'env', short: 'e', kind: 'list', description: '' },
  { name: 'size', short: 's', kind: 'bool', description: '' },
  { name: 'last', short: 'n', kind: 'int', description: '' },
  { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', description: '' },
  { name: 'rm', kind: 'bool', description: '' },
];

describe('parseFlags (pflag semantics)', () => {
  it('bundles boolean shorthands and stops at the image when not interspersed', () => {
    const r = parseFlags(['-dit', '--name', 'c1', 'alpine', 'sh', '-c', 'echo hi'], specs, { interspersed: false });
    expect(flagBool(r.flags, 'detach') && flagBool(r.flags, 'interactive') && flagBool(r.flags, 'tty')).toBe(true);
    expect(flagString(r.flags, 'name')).toBe('c1');
    expect(r.args).toEqual(['alpine', 'sh', '-c', 'echo hi']);
  });

  it.each([
    [['-eA=1', '-e', 'B=2', '--env=C=3', '-e=D'], ['A=1', 'B=2', 'C=3', 'D']],
  ])('collects repeated list values %j', (argv, want) => {
    expect(flagList(parseFlags(argv, specs).flags, 'env')).toEqual(want);
  });

  it('reads ints in every form', () => {
    expect(flagInt(parseFlags(['-n5'], specs).flags, 'last')).toBe(5);
    expect(flagInt(parseFlags(['-n', '7'], specs).flags, 'last')).toBe(7);
    expect(flagInt(parseFlags(['--last=9'], specs).flags, 'last')).toBe(9);
  });

  it('interspersed commands collect args around flags; -- ends flags', () => {
    const r = parseFlags(['a', '-s', 'b', '--', '-d'], specs);
    expect(r.args).toEqual(['a', 'b', '-d']);
    expect(flagBool(r.flags, 'size')).toBe(true);
    expect(flagBool(r.flags, 'detach')).toBe(false);
  });

  it.each([
    [['--bogus'], 'unknown flag: --bogus'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-dx'], "unknown shorthand flag: 'x' in -dx"],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['--filter'], 'flag needs an argument: --filter'],
    [['--size=maybe'], 'invalid argument "maybe" for "-s, --size" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['--rm=maybe'], 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['-n', 'abc'], 'invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
  ])('%j fails with Docker\'s text', (argv, message) => {
    expect(() => parseFlags(argv, specs)).toThrow(new FlagError(message));
  });

  it('recognises -h and --help', () => {
    expect(parseFlags(['--help'], specs).help).toBe(true);
    expect(parseFlags(['-h'], specs).help).toBe(true);
  });

  it('any argv gives a result or a FlagError, never another exception', () => {
    const word = fc.oneof(
      fc.constantFrom('-', '--', '-d', '-dit', '--name', '--name=', '-e', '-n', '-n3', '--size=x', '-h', '--rm=true'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), fc.boolean(), (argv, interspersed) => {
        try {
          const r = parseFlags(argv, specs, { interspersed });
          expect(r.args.length).toBeLessThanOrEqual(argv.length);
        } catch (err) {
          expect(err).toBeInstanceOf(FlagError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
