import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multiplyMinor } from '../../lib/money/money.ts';
import { taxByRate, totalsOf } from '../../lib/money/totals.ts';
import { priceItems } from '../../nodes/invoice/totals.ts';
import { ValidationError } from '../../schemas/ajv.ts';
import type { BillableItem } from '../../schemas/invoice.ts';

/** The rounding rule written a second, independent way: look at the remainder. */
function referenceHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return 2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient;
}

const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BHD', 'CHF'] as const;
const rate = fc.integer({ min: 0, max: 10_000 });
const item: fc.Arbitrary<BillableItem> = fc.oneof(
  fc.record({
    kind: fc.constant('hours' as const),
    description: fc.constant('Work'),
    // Hours as people type them: up to two decimals (7.25), read back from text like the schema's JSON.
    hours: fc.integer({ min: 0, max: 1_000_000 }).map((hundredths) => hundredths / 100),
    rateMinor: fc.integer({ min: 0, max: 10_000_000 }),
    taxRateBasisPoints: rate,
  }),
  fc.record({
    kind: fc.constantFrom('fixed' as const, 'expense' as const),
    description: fc.constant('Fee'),
    amountMinor: fc.integer({ min: 0, max: 1_000_000_000 }),
  }),
);

describe('invoice totals', () => {
  it('prices hours, fixed fees and expenses into lines', () => {
    const lines = priceItems(
      [
        { kind: 'hours', description: 'Design', hours: 7.5, rateMinor: 1333 },
        { kind: 'fixed', description: 'Setup', amountMinor: 50000 },
        { kind: 'expense', description: 'Train', amountMinor: 4250, taxRateBasisPoints: 0 },
      ],
      { currency: 'EUR', defaultTaxRateBasisPoints: 2000 },
    );
    expect(lines).toEqual([
      // 7.5 × 13.33 = 99.975 → 99.98; tax 20 % of 99.98 = 19.996 → 20.00
      {
        position: 1,
        kind: 'hours',
        description: 'Design',
        quantity: 7.5,
        unitAmountMinor: 1333,
        netMinor: 9998,
        taxRateBasisPoints: 2000,
        taxMinor: 2000,
      },
      {
        position: 2,
        kind: 'fixed',
        description: 'Setup',
        quantity: 1,
        unitAmountMinor: 50000,
        netMinor: 50000,
        taxRateBasisPoints: 2000,
        taxMinor: 10000,
      },
      {
        position: 3,
        kind: 'expense',
        description: 'Train',
        quantity: 1,
        unitAmountMinor: 4250,
        netMinor: 4250,
        taxRateBasisPoints: 0,
        taxMinor: 0,
      },
    ]);
    expect(totalsOf(lines)).toEqual({ netMinor: 64248, taxMinor: 12000, totalMinor: 76248 });
    expect(taxByRate(lines)).toEqual([
      { rateBasisPoints: 0, netMinor: 4250, taxMinor: 0 },
      { rateBasisPoints: 2000, netMinor: 59998, taxMinor: 12000 },
    ]);
  });

  it('names each missing field when an item cannot be priced', () => {
    const attempt = () =>
      priceItems(
        [
          { kind: 'hours', description: 'No rate', hours: 2 },
          { kind: 'expense', description: 'No amount' },
        ],
        { currency: 'EUR', defaultTaxRateBasisPoints: 0 },
        '/billing/items',
      );
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      /\/billing\/items\/0\/rateMinor is required for hours items.*\/billing\/items\/1\/amountMinor/,
    );
    expect(() => priceItems([], { currency: 'EUR', defaultTaxRateBasisPoints: 0 })).toThrow(/at least one item/);
    expect(() =>
      priceItems([{ kind: 'fixed', description: 'x', amountMinor: 1 }], {
        currency: 'XYZ',
        defaultTaxRateBasisPoints: 0,
      }),
    ).toThrow(/unknown currency/);
  });

  it('makes totals the exact sums of integer lines, tax rounded per line (property)', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 40 }),
        rate,
        fc.constantFrom(...currencies),
        (items, defaultRate, currency) => {
          const lines = priceItems(items, { currency, defaultTaxRateBasisPoints: defaultRate });
          const totals = totalsOf(lines);
          let net = 0n;
          let tax = 0n;
          lines.forEach((line, index) => {
            const source = items[index]!;
            expect(Number.isSafeInteger(line.netMinor) && Number.isSafeInteger(line.taxMinor)).toBe(true);
            const exactNet =
              source.kind === 'hours'
                ? referenceHalfUp(BigInt(Math.round(source.hours! * 100)) * BigInt(source.rateMinor!), 100n)
                : BigInt(source.amountMinor!);
            expect(BigInt(line.netMinor)).toBe(exactNet);
            const lineRate = source.taxRateBasisPoints ?? defaultRate;
            expect(line.taxRateBasisPoints).toBe(lineRate);
            expect(BigInt(line.taxMinor)).toBe(referenceHalfUp(exactNet * BigInt(lineRate), 10_000n));
            net += exactNet;
            tax += BigInt(line.taxMinor);
          });
          expect(totals).toEqual({ netMinor: Number(net), taxMinor: Number(tax), totalMinor: Number(net + tax) });
          // Per-line rounding differs from taxing the sum by at most half a minor unit per line.
          const byRate = taxByRate(lines);
          const taxOnSums = byRate.reduce(
            (sum, r) => sum + referenceHalfUp(BigInt(r.netMinor) * BigInt(r.rateBasisPoints), 10_000n),
            0n,
          );
          const drift = tax - taxOnSums;
          expect(2n * (drift < 0n ? -drift : drift) <= BigInt(lines.length + byRate.length)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses amounts beyond what a double holds exactly', () => {
    expect(() => multiplyMinor(10_000, Number.MAX_SAFE_INTEGER)).toThrow(/beyond the largest exact amount/);
  });
});
