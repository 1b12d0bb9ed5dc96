// Currency amounts as integers in ISO 4217 minor units: the one place that converts between
// major amounts ("12.50 EUR"), minor units (1250) and text for people. Nodes, the store, the
// server and the extraction library all import it from here.
import { divideRoundHalfUp, exactDecimal, safeInteger, signedDecimal } from './decimal.ts';
import { iso4217MinorDigits } from './iso4217.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/** Whether `code` is an ISO 4217 currency one can hold amounts in (EUR yes, XYZ and XAU no). */
export function isKnownCurrency(code: string): boolean {
  return iso4217MinorDigits(code) !== undefined;
}

/** ISO 4217 digits after the decimal point: JPY 0, EUR 2, IQD and KWD 3, CLF 4. */
export function currencyExponent(currency: string): number {
  const exponent = iso4217MinorDigits(currency);
  if (exponent === undefined) throw new RangeError(`unknown currency ${currency}`);
  return exponent;
}

/**
 * A major amount ("12.345", 12.5, "-0.005") in minor units of `currency`, rounded half away
 * from zero: 12.345 EUR → 1235, -0.005 EUR → -1, 1499.5 JPY → 1500. Throws a RangeError for an
 * unknown currency, a string that is not a plain decimal, or an amount beyond 2^53.
 */
export function toMinorUnits(major: number | string, currency: string): number {
  const { units, scale } = signedDecimal(major);
  const exponent = currencyExponent(currency);
  const value =
    scale <= exponent
      ? units * 10n ** BigInt(exponent - scale)
      : divideRoundHalfUp(units, 10n ** BigInt(scale - exponent));
  return safeInteger(value, 'amount');
}

/** As `toMinorUnits`, for amounts read from free text: undefined where it would throw. */
export function minorUnitsOrUndefined(major: number | string, currency: string): number | undefined {
  try {
    return toMinorUnits(major, currency);
  } catch {
    return undefined; // not an amount we can hold: the caller leaves the field out
  }
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

/**
 * Formats minor units for people with exactly the ISO digits: 123456 EUR in en-US → "€1,234.56",
 * KWD 1234567 → "KWD 1,234.567", IQD 1500 → "IQD 1.500" (CLDR alone would print "IQD 2").
 */
export function formatMinor(
  minor: number,
  currency: string,
  locale = 'en-US',
  currencyDisplay: 'symbol' | 'code' = 'symbol',
): string {
  const exponent = currencyExponent(currency);
  const key = `${locale}|${currency}|${currencyDisplay}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3), never through a double.
  return formatter.format(minorToDecimalString(minor, currency) as Intl.StringNumericLiteral);
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
