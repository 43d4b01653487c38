/**
 * Figures read as people read them, as the backend decides them (docs/figures.md): a number is
 * the decimal of its 12 significant digits, and decisions compare those decimals exactly, here as
 * big integers scaled to a common number of decimals. So 99.3 against 99.5 misses by exactly 0.2,
 * not by the 0.20000000000000284 binary arithmetic gives.
 */

const TEN = BigInt(10);
const ZERO = BigInt(0);

/** 10^n as a big integer (a loop: an ES5 build would turn ** into Math.pow, which refuses big integers). */
function pow10(n: number): bigint {
  let p = BigInt(1);
  for (let i = 0; i < n; i++) {
    p *= TEN;
  }
  return p;
}

/** A finite number as digits × 10^-scale, from its 12 significant digits. */
function scaled(x: number): { digits: bigint; scale: number } {
  const [mantissa, exp = '0'] = x.toPrecision(12).split('e');
  const negative = mantissa.startsWith('-');
  const [int, frac = ''] = mantissa.replace('-', '').split('.');
  let digits = BigInt(int + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

/** a and b, scaled to the same number of decimals. */
function aligned(...xs: number[]): bigint[] {
  const parts = xs.map(scaled);
  const scale = Math.max(...parts.map((p) => p.scale));
  return parts.map((p) => p.digits * pow10(scale - p.scale));
}

/** The sign of a − b, as decimals. */
export function cmpDecimalExact(a: number, b: number): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether |a − b| ≤ limit, as decimals. */
export function withinDecimalExact(a: number, b: number, limit: number): boolean {
  const [x, y, l] = aligned(a, b, limit);
  const d = x - y;
  return (d < ZERO ? -d : d) <= l;
}

/**
 * How far apart two binary figures must be for their 12-digit decimals to compare the same way:
 * rounding to 12 significant digits moves a number by at most 5e-12 of its size, and binary
 * subtraction adds far less, so a margin of 1e-9 of the largest magnitude is safe by a factor of 100.
 */
const MARGIN = 1e-9;

/** The sign of a − b, as decimals: binary arithmetic where the answer is clear, exact decimals near a tie. */
export function cmpDecimal(a: number, b: number): number {
  const d = a - b;
  if (Math.abs(d) > MARGIN * Math.max(Math.abs(a), Math.abs(b))) {
    return d < 0 ? -1 : 1;
  }
  return cmpDecimalExact(a, b);
}

/** Whether |a − b| ≤ limit, as decimals: binary arithmetic where the answer is clear, exact decimals near the limit. */
export function withinDecimal(a: number, b: number, limit: number): boolean {
  const gap = Math.abs(a - b) - limit;
  if (Math.abs(gap) > MARGIN * Math.max(Math.abs(a), Math.abs(b), Math.abs(limit))) {
    return gap < 0;
  }
  return withinDecimalExact(a, b, limit);
}
