import { describe, it, expect } from 'vitest';
import {
  humanSize,
  humanSize4,
  bytesSize,
  reclaimable,
  ramInBytes,
  fromHumanSize,
  parseSize,
  InvalidSizeError,
} from '../../../src/cli/format/size.js';

describe('humanSize (go-units HumanSizeWithPrecision(size, 3))', () => {
  // Strings as `docker images`, `ps -s` and `history` print them.
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [5, '5B'],
    [29, '29B'],
    [222, '222B'],
    [262, '262B'],
    [999, '999B'],
    [1000, '1kB'],
    [1500, '1.5kB'],
    [1125, '1.12kB'], // exact half rounds to even, as Go does (JS toPrecision gives 1.13)
    [1135, '1.14kB'],
    [999999, '1e+03kB'],
    [1_980_000, '1.98MB'],
    [2_000_400, '2MB'],
    [2_240_000, '2.24MB'],
    [3_982_426, '3.98MB'],
    [7_049_688, '7.05MB'],
    [9_290_000, '9.29MB'],
    [63_100_000, '63.1MB'],
    [1e9, '1GB'],
    [1.5e12, '1.5TB'],
  ];
  it.each(cases)('%d bytes -> %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});

describe('humanSize4 (units.HumanSize, system df summary)', () => {
  // From `docker system df` against a real daemon.
  it.each<[number, string]>([
    [3_965_000, '3.965MB'],
    [1_983_000, '1.983MB'],
    [139, '139B'],
    [21, '21B'],
    [0, '0B'],
    [999_999, '1000kB'],
  ])('%d -> %s', (bytes, text) => {
    expect(humanSize4(bytes)).toBe(text);
  });

  it('formats RECLAIMABLE with a truncated percentage', () => {
    expect(reclaimable(1_983_000, 3_965_000)).toBe('1.983MB (50%)');
    expect(reclaimable(1_983_000, 3_970_000)).toBe('1.983MB (49%)');
    expect(reclaimable(139, 1_983_000)).toBe('139B (0%)');
    expect(reclaimable(21, 21)).toBe('21B (100%)');
    expect(reclaimable(0, 0)).toBe('0B');
  });
});

describe('bytesSize (binary units)', () => {
  it.each<[number, string]>([
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1KiB'],
    [1536, '1.5KiB'],
    [64 * 1024 * 1024, '64MiB'],
    [2 ** 30 * 7.5, '7.5GiB'],
  ])('%d -> %s', (bytes, text) => {
    expect(bytesSize(bytes)).toBe(text);
  });
});

describe('parseSize (go-units RAMInBytes)', () => {
  it.each<[string, number]>([
    ['64m', 64 * 2 ** 20],
    ['1g', 2 ** 30],
    ['100k', 102_400],
    ['100K', 102_400],
    ['10', 10],
    ['10b', 10],
    ['10B', 10],
    ['1.5k', 1536],
    ['2 MB', 2 * 2 ** 20],
    ['2MiB', 2 * 2 ** 20],
    ['1e3', 1000],
    ['0.5', 0],
  ])('%s -> %d', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
    expect(ramInBytes(text)).toBe(bytes);
  });

  it('FromHumanSize uses decimal multiples', () => {
    expect(fromHumanSize('64m')).toBe(64_000_000);
    expect(fromHumanSize('1kB')).toBe(1000);
  });

  it.each<[string, string]>([
    ['', "invalid size: ''"],
    ['m', "invalid size: 'm'"],
    ['-5m', "invalid size: '-5m'"],
    ['10kk', "invalid suffix: 'kk'"],
    ['10x', "invalid suffix: 'x'"],
    ['10KBB', "invalid suffix: 'kbb'"],
    ['10mb2', 'strconv.ParseFloat: parsing "10mb2": invalid syntax'],
    ['1.2.3', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
  ])('%j is rejected with %s', (text, message) => {
    expect(() => parseSize(text)).toThrow(InvalidSizeError);
    expect(() => parseSize(text)).toThrow(message);
  });
});
