/**
 * Go's strconv float formatting (%e, %f, %g with or without a precision),
 * reproduced digit for digit.
 *
 * Why not Number.prototype.toPrecision: JS rounds exact halves up, Go rounds
 * them to even (`%.3g` of 1.125 is "1.12" in Go, "1.13" in JS), and sizes
 * such as 1125 bytes hit exactly that case. So the digits come from the exact
 * decimal expansion of the double, rounded the way Go's strconv rounds.
 */

/** A positive decimal number: 0.d1d2d3... × 10^dp, no trailing zeros in digits. */
interface Decimal {
  digits: string;
  dp: number;
}

const view = new DataView(new ArrayBuffer(8));

/**
 * The exact decimal value of a finite, positive double. A double with e
 * binary fraction digits has exactly e decimal ones, and toFixed(e) (e up
 * to 100) prints them all without rounding; BigInt arithmetic, which cost a
 * few tenths of a millisecond per size in a command's one run, is left for
 * the rest.
 */
function exactDecimal(x: number): Decimal {
  const fast = exactDecimalByToFixed(x);
  if (fast !== null) return fast;
  return exactDecimalByBigInt(x);
}

function exactDecimalByToFixed(x: number): Decimal | null {
  if (!(x < 1e21)) return null;
  view.setFloat64(0, x);
  const expBits = (view.getUint32(0) >>> 20) & 0x7ff;
  // x = mantissa × 2^exp; subnormals share the smallest exponent.
  const exp = (expBits === 0 ? 1 : expBits) - 1075;
  const fractionDigits = exp >= 0 ? 0 : -exp;
  if (fractionDigits > 100) return null;
  const fixed = x.toFixed(fractionDigits);
  const point = fixed.indexOf('.');
  if (point === -1) return trim({ digits: fixed, dp: fixed.length });
  return trim({ digits: fixed.slice(0, point) + fixed.slice(point + 1), dp: point });
}

function exactDecimalByBigInt(x: number): Decimal {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    // mant × 2^exp = mant × 5^-exp / 10^-exp
    s = (mant * 5n ** BigInt(-exp)).toString();
    dp = s.length + exp;
  }
  return trim({ digits: s, dp });
}

/** The shortest digits that read back as x (what Go's precision -1 means). */
function shortestDecimal(x: number): Decimal {
  // toExponential() without an argument gives as many digits as needed to
  // identify the double uniquely, the same contract as Go's shortest mode.
  const [mant, e] = x.toExponential().split('e');
  return trim({ digits: mant!.replace('.', ''), dp: Number(e) + 1 });
}

function trim(d: Decimal): Decimal {
  let digits = d.digits.replace(/0+$/, '');
  let dp = d.dp;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  dp -= lead;
  if (digits === '') return { digits: '', dp: 0 };
  return { digits, dp };
}

/** Round to nd significant digits, ties to even, as Go's decimal.Round. */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) {
    up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  if (!up) return trim({ digits: d.digits.slice(0, nd), dp: d.dp });
  // Add one at position nd-1, carrying.
  const arr = d.digits.slice(0, nd).split('').map(Number);
  let i = nd - 1;
  while (i >= 0 && arr[i] === 9) {
    arr[i] = 0;
    i--;
  }
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  arr[i]!++;
  return trim({ digits: arr.join(''), dp: d.dp });
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i]! : '0';
}

/** %e body: d.ddde±XX with prec digits after the point (prec < 0: all digits). */
function fmtE(d: Decimal, prec: number, upper: boolean): string {
  const isZero = d.digits === '';
  let out = isZero ? '0' : d.digits[0]!;
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = isZero ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  out += (upper ? 'E' : 'e') + sign + (abs < 10 ? '0' + abs : String(abs));
  return out;
}

/** %f body with prec digits after the point. */
function fmtF(d: Decimal, prec: number): string {
  let out = '';
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  } else {
    out = '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digitAt(d, d.dp + i);
  }
  return out;
}

export type FloatVerb = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/**
 * strconv.FormatFloat(x, verb, prec, 64). prec -1 means "shortest".
 * Returns Go's spelling of infinities and NaN (+Inf, -Inf, NaN).
 */
export function formatFloat(x: number, verb: FloatVerb, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let d: Decimal = abs === 0 ? { digits: '', dp: 0 } : shortest ? shortestDecimal(abs) : exactDecimal(abs);
  let body: string;
  switch (verb) {
    case 'e':
    case 'E': {
      if (!shortest) d = roundTo(d, prec + 1);
      body = fmtE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, verb === 'E');
      break;
    }
    case 'f':
    case 'F': {
      if (!shortest) d = roundTo(d, d.dp + prec);
      body = fmtF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
      break;
    }
    default: {
      let p = prec;
      if (p === 0) p = 1;
      if (!shortest) d = roundTo(d, p);
      let eprec = shortest ? 6 : p;
      if (!shortest && eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      const exp = d.dp - 1;
      if (d.digits !== '' && (exp < -4 || exp >= eprec)) {
        let ep = shortest ? d.digits.length : p;
        if (ep > d.digits.length) ep = d.digits.length;
        body = fmtE(d, ep - 1, verb === 'G');
      } else {
        body = fmtF(d, Math.max(d.digits.length - d.dp, 0));
      }
    }
  }
  return neg ? '-' + body : body;
}
