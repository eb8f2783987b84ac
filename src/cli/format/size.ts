/**
 * Human-readable sizes exactly as Docker prints them (github.com/docker/go-units).
 *
 * Which function a command uses matters, because they differ in precision:
 * - `humanSize` (HumanSizeWithPrecision(size, 3)): `docker images`, `ps -s`,
 *   `history`, and the per-item columns of `system df -v` (images, containers).
 * - `humanSize4` (HumanSize, four significant digits): the summary rows of
 *   `docker system df` (SIZE and RECLAIMABLE), the volume SIZE column of
 *   `system df -v`, and the "Build cache usage:" line.
 * - `bytesSize` (BytesSize, binary units, four digits): memory figures such
 *   as `docker stats` and `docker info` "Total Memory".
 */
import { formatFloat } from './go/float.js';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/** go-units getSizeAndUnit: divide while the value is at least one base unit. */
function scale(size: number, base: number, units: readonly string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

/** units.HumanSizeWithPrecision: `%.<precision>g` followed by a decimal unit. */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [value, unit] = scale(bytes, 1000, DECIMAL_UNITS);
  return formatFloat(value, 'g', precision) + unit;
}

/** What `docker images`/`ps`/`history` print: three significant digits (`9.29MB`, `5B`). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** units.HumanSize: four significant digits, as in `docker system df` (`1.234GB`). */
export function humanSize4(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** units.BytesSize: binary units with four significant digits (`1.5KiB`, `64MiB`). */
export function bytesSize(bytes: number): string {
  const [value, unit] = scale(bytes, 1024, BINARY_UNITS);
  return formatFloat(value, 'g', 4) + unit;
}

/**
 * `system df` RECLAIMABLE cell: `"%s (%v%%)"` with the percentage truncated
 * by integer division, or just the size when the total is zero.
 */
export function reclaimable(reclaimableBytes: number, totalBytes: number): string {
  const size = humanSize4(reclaimableBytes);
  if (totalBytes > 0) {
    return `${size} (${Math.trunc((reclaimableBytes * 100) / totalBytes)}%)`;
  }
  return size;
}

/** Thrown for a size text go-units cannot read; the message is go-units' own. */
export class InvalidSizeError extends Error {
  readonly code = 'INVALID_SIZE';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSizeError';
  }
}

const DECIMAL_MULT: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };
const BINARY_MULT: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** strconv.ParseFloat for the decimal spellings a size can take. */
function parseGoFloat(num: string, input: string): number {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(num)) {
    throw new InvalidSizeError(input, `strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`);
  }
  return Number(num);
}

/**
 * go-units parseSize (v0.5): the number is everything up to the last digit,
 * dot or space (a single separating space is dropped); the rest is a suffix
 * of at most three letters: `b`, or a unit letter k/m/g/t/p optionally
 * followed by `b` or `ib`, case-insensitive. The product is truncated to an
 * integer like Go's int64(float64).
 */
function parseWith(input: string, mult: Record<string, number>): number {
  let sep = -1;
  for (let i = input.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(input[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new InvalidSizeError(input, `invalid size: '${input}'`);
  const num = input[sep] === ' ' ? input.slice(0, sep) : input.slice(0, sep + 1);
  let sfx = input.slice(sep + 1);
  let size = parseGoFloat(num, input);
  if (size < 0) throw new InvalidSizeError(input, `invalid size: '${input}'`);
  if (sfx.length === 0) return Math.trunc(size);
  const bad = (): never => {
    throw new InvalidSizeError(input, `invalid suffix: '${sfx}'`);
  };
  if (sfx.length > 3) bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') {
    if (sfx.length > 1) bad();
    return Math.trunc(size);
  }
  const m = mult[sfx[0]!];
  if (m === undefined) bad();
  size *= m!;
  if (sfx.length === 2 && sfx[1] !== 'b') bad();
  if (sfx.length === 3 && sfx.slice(1) !== 'ib') bad();
  return Math.trunc(size);
}

/** units.RAMInBytes: `64m` -> 67108864 (binary multiples). Used by --tmpfs size=, tmpfs-size, --memory. */
export function ramInBytes(input: string): number {
  return parseWith(input, BINARY_MULT);
}

/** units.FromHumanSize: `64m` -> 64000000 (decimal multiples). */
export function fromHumanSize(input: string): number {
  return parseWith(input, DECIMAL_MULT);
}

/** What `--tmpfs size=` and `--mount tmpfs-size=` accept: RAMInBytes semantics. */
export const parseSize = ramInBytes;
