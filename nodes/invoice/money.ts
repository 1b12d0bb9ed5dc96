// Currency arithmetic in integer minor units. No floating point touches an amount: decimals
// (hours, major amounts) are read as exact decimal digits and multiplied as bigint.

const exponents = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();
let knownCurrencies: Set<string> | undefined;

/** Whether `code` is an ISO 4217 currency this runtime's ICU knows (EUR yes, XYZ no). */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

/** Digits after the decimal point: JPY 0, EUR 2, KWD 3 (from CLDR, through Intl). */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    if (!isKnownCurrency(currency)) throw new RangeError(`unknown currency ${currency}`);
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    if (exponent === undefined) throw new RangeError(`no minor unit for ${currency}`);
    exponents.set(currency, exponent);
  }
  return exponent;
}

/** A non-negative decimal as `units / 10^scale`, exactly as written (0.1 is 1/10, not 0.1000000000000000055…). */
export function exactDecimal(value: number | string): { units: bigint; scale: number } {
  const text = typeof value === 'number' ? value.toString() : value.trim();
  const match = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new RangeError(`${String(value)} is not a non-negative decimal`);
  }
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { units: digits, scale } : { units: digits * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * `numerator / denominator` rounded half up (half away from zero): 2.5 → 3, 2.4999 → 2.
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

/** `quantity × unitMinor`, rounded half up to whole minor units (7.5 h × 1,333 = 9,997.5 → 9,998). */
export function multiplyMinor(quantity: number, unitMinor: number): number {
  const { units, scale } = exactDecimal(quantity);
  return safeInteger(divideRoundHalfUp(units * BigInt(unitMinor), 10n ** BigInt(scale)), 'amount');
}

/** Tax on a net amount at a rate in basis points (2000 = 20 %), rounded half up to a minor unit. */
export function taxOn(netMinor: number, rateBasisPoints: number): number {
  return safeInteger(divideRoundHalfUp(BigInt(netMinor) * BigInt(rateBasisPoints), 10_000n), 'tax');
}

/** A major amount ("12.345", 12.5) in minor units of `currency`, rounded half up: 12.345 EUR → 1235. */
export function toMinorUnits(major: number | string, currency: string): number {
  const { units, scale } = exactDecimal(major);
  const exponent = currencyExponent(currency);
  const value =
    scale <= exponent
      ? units * 10n ** BigInt(exponent - scale)
      : divideRoundHalfUp(units, 10n ** BigInt(scale - exponent));
  return safeInteger(value, 'amount');
}

/** Minor units as an exact decimal string in major units: 123456 EUR → "1234.56", 500 JPY → "500". */
export function minorToDecimalString(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = BigInt(Math.abs(minor))
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Formats minor units for people: 123456 EUR in en-US → "€1,234.56"; KWD 1234567 → "KWD 1,234.567". */
export function formatMinor(
  minor: number,
  currency: string,
  locale = 'en-US',
  currencyDisplay: 'symbol' | 'code' = 'symbol',
): string {
  const key = `${locale}|${currency}|${currencyDisplay}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay });
    formatters.set(key, formatter);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3), never through a double.
  return formatter.format(minorToDecimalString(minor, currency) as Intl.StringNumericLiteral);
}
