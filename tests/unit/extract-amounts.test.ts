import { describe, expect, it } from 'vitest';
import { findAmounts, minorDigits } from '../../nodes/extract/local/amounts.ts';
import { normalizeNumber, toMinorUnits, wordsToNumber } from '../../nodes/extract/local/numbers.ts';

const amounts = (text: string, senderCurrency?: string) =>
  findAmounts(text, senderCurrency ? { senderCurrency } : {}).map((a) => [a.amountMinor, a.currency]);

describe('normalizeNumber', () => {
  it.each([
    ['2,400.50', '2400.50'],
    ['1.234,56', '1234.56'],
    ['8 000', '8000'],
    ["1'250.50", '1250.50'],
    ['1.200', '1200'],
    ['8,500', '8500'],
    ['2,99', '2.99'],
    ['1.234.567', '1234567'],
    ['18,5', '18.5'],
  ])('reads %s as %s', (raw, expected) => {
    expect(normalizeNumber(raw)).toBe(expected);
  });

  it('refuses groups that are not thousands', () => {
    expect(normalizeNumber('1,23,45')).toBeUndefined();
  });
});

describe('toMinorUnits', () => {
  it('shifts the decimal point instead of multiplying floats', () => {
    expect(toMinorUnits('0.29', 1, 2)).toBe(29);
    expect(toMinorUnits('1.5', 1_000, 2)).toBe(150_000);
    expect(toMinorUnits('19.99', 1, 2)).toBe(1999);
    expect(toMinorUnits('5000', 1, 0)).toBe(5000);
    expect(toMinorUnits('1.005', 1, 2)).toBe(101);
  });
});

describe('wordsToNumber', () => {
  it.each([
    ['fifteen thousand', '15000'],
    ['twelve hundred', '1200'],
    ['two hundred and fifty', '250'],
    ['twenty-five', '25'],
    ['1.5 million', '1500000'],
  ])('reads "%s"', (words, expected) => {
    expect(wordsToNumber(words)).toBe(expected);
  });
});

describe('findAmounts', () => {
  it('reads symbols and codes before or after the number, in US and European formats', () => {
    expect(amounts('Total: $2,400.50 and EUR 1.234,56 and 8 000 € HT and 2,99 EUR')).toEqual([
      [240050, 'USD'],
      [123456, 'EUR'],
      [800000, 'EUR'],
      [299, 'EUR'],
    ]);
  });

  it('scales k and m suffixes', () => {
    expect(amounts('about €1.5k, maybe USD 2.5m')).toEqual([
      [150000, 'EUR'],
      [250000000, 'USD'],
    ]);
  });

  it('gives both ends of a range, sharing the currency and the scale', () => {
    expect(amounts('we were thinking £4-5k')).toEqual([
      [400000, 'GBP'],
      [500000, 'GBP'],
    ]);
    expect(amounts('somewhere between $6,000 and $8,500')).toEqual([
      [600000, 'USD'],
      [850000, 'USD'],
    ]);
    expect(amounts('6.000–8.000 EUR')).toEqual([
      [600000, 'EUR'],
      [800000, 'EUR'],
    ]);
  });

  it('reads amounts in words next to a currency', () => {
    expect(amounts('a grant of fifteen thousand euros, or five hundred dollars now')).toEqual([
      [1500000, 'EUR'],
      [50000, 'USD'],
    ]);
  });

  it('uses each currency’s minor unit (JPY has none)', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(amounts("¥5000 or CHF 1'250.50")).toEqual([
      [5000, 'JPY'],
      [125050, 'CHF'],
    ]);
  });

  it('takes a net figure’s currency from the rest of the message or the sender', () => {
    expect(amounts('The total is EUR 2.890,00 but our agreement was 2.600,00 + VAT')).toEqual([
      [289000, 'EUR'],
      [260000, 'EUR'],
    ]);
    expect(amounts('Fee 4.500,00 netto', 'CHF')).toEqual([[450000, 'CHF']]);
  });

  it('ignores numbers without a currency: phones, invoice and PO numbers, percentages, postcodes', () => {
    expect(
      amounts('Call (503) 555-0142 about invoice 2025-019, PO 44871, 50% up front, CA 94102, EIN 93-4412876'),
    ).toEqual([]);
  });

  it('counts the same amount written twice once', () => {
    expect(amounts('€ 450 — yes, € 450.')).toEqual([[45000, 'EUR']]);
  });

  it('misses amounts with no currency anywhere (a known limit)', () => {
    expect(amounts('Our budget is around 5000.')).toEqual([]);
  });
});
