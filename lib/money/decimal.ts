// Exact decimal arithmetic on bigint for money: no floating point touches an amount. Decimals
// (hours, major amounts) are read as the digits they are written with and divided with
// commercial rounding.

/** A decimal as `units / 10^scale`, exactly as written (0.1 is 1/10, not 0.1000000000000000055…). */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * A decimal number or string ("12.50", "-3", ".5", "1e3", 7.25) read exactly; a number is read
 * as its shortest round-trip form, so 1.005 is 1005/1000. Refuses anything else: grouping
 * separators ("1,234.50" is ambiguous across locales), currency signs, NaN and Infinity.
 */
export function signedDecimal(value: number | string): ExactDecimal {
  const text = typeof value === 'number' ? value.toString() : value.trim();
  const match = decimalPattern.exec(text);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match ?? [];
  if (!match || (whole === '' && fraction === '') || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new RangeError(`${JSON.stringify(value)} is not a decimal number`);
  }
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0');
  return scale >= 0 ? { units: digits, scale } : { units: digits * 10n ** BigInt(-scale), scale: 0 };
}

/** As `signedDecimal`, for quantities that cannot be negative (hours, counts). */
export function exactDecimal(value: number | string): ExactDecimal {
  const decimal = signedDecimal(value);
  if (decimal.units < 0n || (typeof value === 'string' && value.trim().startsWith('-'))) {
    throw new RangeError(`${String(value)} is not a non-negative decimal`);
  }
  return decimal;
}

/**
 * `numerator / denominator` rounded half up (half away from zero): 2.5 → 3, 2.4999 → 2, -2.5 → -3.
 * Half up, not half to even, because it is the commercial rounding tax authorities ask for on
 * invoices (EU member states, HMRC, Japan's consumption tax guidance all describe it), and a
 * client checking a line with a calculator expects it; half-even's statistical fairness only
 * pays off over many roundings of one sum, which per-line tax is not.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** Back to a number, refusing amounts a double cannot hold exactly (and a bigint column may not). */
export function safeInteger(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} is beyond the largest exact amount`);
  }
  return Number(value);
}
