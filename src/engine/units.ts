/**
 * Reading sizes as Docker's go-units does (v0.5): RAMInBytes for memory and
 * tmpfs sizes (binary multiples: "64m" = 67108864), FromHumanSize (decimal).
 * Errors carry go-units' own texts.
 */

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

/** RAMInBytes, or null when the text is not a size (for parsers that word their own error). */
export function ramInBytesOrNull(input: string): number | null {
  try {
    return ramInBytes(input);
  } catch (err) {
    if (err instanceof InvalidSizeError) return null;
    throw err;
  }
}
