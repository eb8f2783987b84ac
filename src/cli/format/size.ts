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

// Reading sizes (go-units' RAMInBytes/FromHumanSize) is the engine's job: the
// mount and volume parsers need it. Re-exported here beside the formatting.
export { InvalidSizeError, ramInBytes, fromHumanSize, parseSize } from '../../engine/units.js';
