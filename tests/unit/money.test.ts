import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, exactDecimal, signedDecimal } from '../../lib/money/decimal.ts';
import { iso4217Codes } from '../../lib/money/iso4217.ts';
import {
  currencyExponent,
  formatMinor,
  isKnownCurrency,
  minorToDecimalString,
  minorUnitsOrUndefined,
  multiplyMinor,
  taxOn,
  toMinorUnits,
} from '../../lib/money/money.ts';

/** The rounding rule written a second, independent way: look at the remainder. */
function referenceHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return 2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient;
}

// Every ISO 4217 currency whose minor unit is not 2, as the ISO list gives it.
const zeroDigits = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV'];
const zeroDigitFranc = ['XAF', 'XOF', 'XPF'];
const threeDigits = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const fourDigits = ['CLF', 'UYW'];
// Where CLDR (and so Intl) shows another number of digits than ISO: ISO wins for amounts.
const cldrDiffers = [
  'AFN',
  'ALL',
  'COP',
  'HUF',
  'IDR',
  'IRR',
  'KPW',
  'LAK',
  'LBP',
  'MGA',
  'MMK',
  'PKR',
  'SOS',
  'SYP',
  'YER',
];
const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BHD', 'CHF', 'IQD', 'CLF', 'ISK', 'HUF'] as const;

describe('ISO 4217 minor units', () => {
  it('gives 0 digits to yen, won, dong, peso chileno, króna and the CFA/CFP francs', () => {
    for (const code of [...zeroDigits, ...zeroDigitFranc]) expect([code, currencyExponent(code)]).toEqual([code, 0]);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1499.5', 'JPY')).toBe(1500);
    expect(toMinorUnits('1499.49', 'KRW')).toBe(1499);
    expect(toMinorUnits('2500', 'ISK')).toBe(2500);
    expect(toMinorUnits('9990.5', 'CLP')).toBe(9991);
    expect(toMinorUnits(100_000, 'VND')).toBe(100_000);
  });

  it('gives 3 digits to the dinars and rials of BHD, IQD, JOD, KWD, LYD, OMR, TND', () => {
    for (const code of threeDigits) expect([code, currencyExponent(code)]).toEqual([code, 3]);
    expect(toMinorUnits('12.3456', 'KWD')).toBe(12346);
    expect(toMinorUnits('0.0005', 'BHD')).toBe(1);
    expect(toMinorUnits('0.0004', 'OMR')).toBe(0);
    expect(toMinorUnits('1.5', 'IQD')).toBe(1500);
    expect(toMinorUnits(7, 'TND')).toBe(7000);
  });

  it('gives 4 digits to the units of account CLF and UYW', () => {
    for (const code of fourDigits) expect([code, currencyExponent(code)]).toEqual([code, 4]);
    expect(toMinorUnits('38.12345', 'CLF')).toBe(381235);
  });

  it('follows ISO, not CLDR display digits, where the two differ', () => {
    for (const code of cldrDiffers) {
      const cldr = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions();
      expect([code, currencyExponent(code)]).toEqual([code, 2]);
      expect([code, cldr.maximumFractionDigits]).toEqual([code, 0]); // why the table exists
    }
    expect(toMinorUnits('1234.5', 'HUF')).toBe(123450);
    expect(formatMinor(1500, 'IQD', 'en-US', 'code')).toBe('IQD\u00a01.500');
    expect(formatMinor(123450, 'HUF', 'en-US', 'code')).toBe('HUF\u00a01,234.50');
  });

  it('gives 2 digits to every other currency it knows, and knows no made-up or metal code', () => {
    const other = new Set([...zeroDigits, ...zeroDigitFranc, ...threeDigits, ...fourDigits]);
    const codes = iso4217Codes();
    expect(codes.length).toBeGreaterThan(165);
    for (const code of codes.filter((c) => !other.has(c))) expect([code, currencyExponent(code)]).toEqual([code, 2]);
    for (const code of ['XYZ', 'XAU', 'XDR', 'XXX', 'eur', '']) {
      expect(isKnownCurrency(code)).toBe(false);
      expect(() => toMinorUnits('1', code)).toThrow(new RangeError(`unknown currency ${code}`));
    }
  });

  it('converts every amount of every known currency to a decimal string and back (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...iso4217Codes()),
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (currency, minor) => {
          expect(toMinorUnits(minorToDecimalString(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });
});

describe('major amounts to minor units', () => {
  it('rounds half cents half away from zero, negative amounts too', () => {
    expect(toMinorUnits('0.005', 'EUR')).toBe(1);
    expect(toMinorUnits('0.0049999', 'EUR')).toBe(0);
    expect(toMinorUnits('2.675', 'USD')).toBe(268); // 2.675 is 2.67499999… as a double
    expect(toMinorUnits(2.675, 'USD')).toBe(268);
    expect(toMinorUnits('-0.005', 'EUR')).toBe(-1);
    expect(toMinorUnits('-12.345', 'EUR')).toBe(-1235);
    expect(toMinorUnits(-1.5, 'JPY')).toBe(-2);
    expect(toMinorUnits('-0', 'EUR')).toBe(0);
  });

  it('reads decimal strings as people and JSON write them, and nothing else', () => {
    expect(toMinorUnits(' 12.50 ', 'EUR')).toBe(1250);
    expect(toMinorUnits('+3', 'EUR')).toBe(300);
    expect(toMinorUnits('.5', 'EUR')).toBe(50);
    expect(toMinorUnits('5.', 'EUR')).toBe(500);
    expect(toMinorUnits('1e3', 'EUR')).toBe(100_000);
    expect(toMinorUnits('1.5E-2', 'EUR')).toBe(2);
    expect(toMinorUnits('000120.10', 'EUR')).toBe(12010);
    for (const text of ['1,234.50', '12,50', '€12', '12 EUR', '', '.', '-', '1..2', '0x10', 'NaN', 'Infinity']) {
      expect(() => toMinorUnits(text, 'EUR')).toThrow(RangeError);
      expect(minorUnitsOrUndefined(text, 'EUR')).toBeUndefined();
    }
    expect(() => toMinorUnits(Number.NaN, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits('90071992547409.92', 'EUR')).toThrow(/beyond the largest exact amount/);
  });

  it('matches the exact rational rounding for any decimal string (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom(...currencies),
        (negative, digits, scale, currency) => {
          const text = digits.toString().padStart(scale + 1, '0');
          const decimal = `${negative ? '-' : ''}${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`;
          const exponent = currencyExponent(currency);
          const magnitude =
            scale <= exponent
              ? digits * 10n ** BigInt(exponent - scale)
              : referenceHalfUp(digits, 10n ** BigInt(scale - exponent));
          expect(toMinorUnits(decimal, currency)).toBe(Number(negative ? -magnitude : magnitude));
        },
      ),
    );
  });

  it('reads decimals exactly, including ones a double cannot hold', () => {
    expect(exactDecimal(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(exactDecimal(7.25)).toEqual({ units: 725n, scale: 2 });
    expect(exactDecimal(1e-7)).toEqual({ units: 1n, scale: 7 });
    expect(exactDecimal('12.500')).toEqual({ units: 12500n, scale: 3 });
    expect(signedDecimal('-12.500')).toEqual({ units: -12500n, scale: 3 });
    expect(() => exactDecimal(-1)).toThrow();
    expect(() => exactDecimal('-0')).toThrow();
    expect(() => exactDecimal(Number.NaN)).toThrow();
  });
});

describe('money arithmetic', () => {
  it('rounds half up where floating point rounds down', () => {
    // 1.005 × 100 is 100.49999999999999 in doubles; Math.round gives 100, the exact answer is 100.5 → 101.
    expect(Math.round(1.005 * 100)).toBe(100);
    expect(multiplyMinor(1.005, 100)).toBe(101);
    expect(toMinorUnits(1.005, 'EUR')).toBe(101);
    expect(toMinorUnits('1.0049', 'EUR')).toBe(100);
    expect(toMinorUnits('12.3456', 'KWD')).toBe(12346);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1499.5', 'JPY')).toBe(1500);
    expect(taxOn(25, 2000)).toBe(5); // 5.0 exactly
    expect(taxOn(1, 5000)).toBe(1); // 0.5 → 1 (half up; half-even would give 0)
    expect(taxOn(3, 5000)).toBe(2); // 1.5 → 2
    expect(taxOn(7, 700)).toBe(0); // 0.49 → 0
  });

  it('rounds every quotient half up (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const rounded = divideRoundHalfUp(n, d);
        expect(rounded).toBe(referenceHalfUp(n, d));
        // Within half a unit, and exactly half goes up.
        const error = 2n * (rounded * d - n);
        expect(error >= -d && error <= d).toBe(true);
        if (error === -d) throw new Error('a half was rounded down');
        expect(divideRoundHalfUp(-n, d)).toBe(-rounded); // symmetric: half away from zero
      }),
    );
  });

  it('multiplies hours by a rate with no floating drift (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (hundredths, unit) => {
          const expected = referenceHalfUp(BigInt(hundredths) * BigInt(unit), 100n);
          expect(multiplyMinor(hundredths / 100, unit)).toBe(Number(expected));
        },
      ),
    );
  });

  it('formats every amount to exactly its minor digits (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (currency, minor) => {
          const exponent = currencyExponent(currency);
          const digits = formatMinor(minor, currency, 'en-US', 'code').replace(/\D/g, '');
          expect(digits).toBe(String(minor).padStart(exponent + 1, '0'));
          expect(toMinorUnits(minorToDecimalString(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it('formats amounts with the currency’s symbol and decimals', () => {
    expect(formatMinor(123456, 'EUR')).toBe('€1,234.56');
    expect(formatMinor(123456, 'JPY')).toBe('¥123,456');
    expect(formatMinor(1234567, 'KWD')).toBe('KWD\u00a01,234.567'); // Intl puts a no-break space after a code
    expect(formatMinor(5, 'USD')).toBe('$0.05');
    expect(formatMinor(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
  });
});
