// An invoice's totals from its priced lines: pure sums in minor units, shared by the invoice
// node (which prices) and the store (which records the totals beside the lines).
import type { InvoiceLine } from '../../schemas/invoice.ts';
import { safeInteger } from './decimal.ts';

export interface Totals {
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * Net, tax and total as sums of the lines. Tax is rounded per line, then summed, never
 * recomputed on the net total: the invoice then adds up line by line for whoever checks it
 * (the two methods can differ by up to half a minor unit per line).
 */
export function totalsOf(lines: readonly Pick<InvoiceLine, 'netMinor' | 'taxMinor'>[]): Totals {
  let net = 0n;
  let tax = 0n;
  for (const line of lines) {
    net += BigInt(line.netMinor);
    tax += BigInt(line.taxMinor);
  }
  return {
    netMinor: safeInteger(net, 'net total'),
    taxMinor: safeInteger(tax, 'tax total'),
    totalMinor: safeInteger(net + tax, 'total'),
  };
}

/** Tax subtotals per rate, for the totals block of an invoice with mixed rates. */
export function taxByRate(
  lines: readonly InvoiceLine[],
): { rateBasisPoints: number; netMinor: number; taxMinor: number }[] {
  const byRate = new Map<number, { netMinor: number; taxMinor: number }>();
  for (const line of lines) {
    const sum = byRate.get(line.taxRateBasisPoints) ?? { netMinor: 0, taxMinor: 0 };
    byRate.set(line.taxRateBasisPoints, {
      netMinor: sum.netMinor + line.netMinor,
      taxMinor: sum.taxMinor + line.taxMinor,
    });
  }
  return [...byRate.entries()].sort(([a], [b]) => a - b).map(([rateBasisPoints, sum]) => ({ rateBasisPoints, ...sum }));
}
