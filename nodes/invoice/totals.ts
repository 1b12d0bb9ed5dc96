import { ValidationError, type FieldError } from '../../schemas/ajv.ts';
import type { BillableItem, InvoiceLine } from '../../schemas/invoice.ts';
import { currencyExponent, multiplyMinor, taxOn } from '../../lib/money/money.ts';

export interface PricingOptions {
  currency: string;
  /** Applied to items without their own `taxRateBasisPoints`. */
  defaultTaxRateBasisPoints: number;
}

/** Why an item cannot be priced: the schema allows every field, but each kind needs its own. */
function itemProblems(item: BillableItem, pointer: string): FieldError[] {
  const missing = (field: keyof BillableItem): FieldError[] =>
    item[field] === undefined
      ? [{ pointer: `${pointer}/${field}`, message: `is required for ${item.kind} items` }]
      : [];
  return item.kind === 'hours' ? [...missing('hours'), ...missing('rateMinor')] : missing('amountMinor');
}

/**
 * Billable items as invoice lines, every amount an integer in minor units. Per line:
 * net = quantity × unit (hours × rate, or 1 × amount), tax = net × rate / 10,000, each rounded
 * half up to a whole minor unit. Totals are the sums of the rounded lines (see `totalsOf` in lib/money/totals.ts).
 */
export function priceItems(items: readonly BillableItem[], options: PricingOptions, pointer = '/items'): InvoiceLine[] {
  currencyExponent(options.currency); // refuses an unknown currency before anything is priced
  const problems = items.flatMap((item, index) => itemProblems(item, `${pointer}/${index}`));
  if (items.length === 0) problems.push({ pointer, message: 'must have at least one item' });
  if (problems.length > 0) throw new ValidationError('billable items', problems);
  return items.map((item, index) => {
    const hourly = item.kind === 'hours';
    const quantity = hourly ? (item.hours ?? 0) : 1;
    const unitAmountMinor = (hourly ? item.rateMinor : item.amountMinor) ?? 0;
    const netMinor = multiplyMinor(quantity, unitAmountMinor);
    const taxRateBasisPoints = item.taxRateBasisPoints ?? options.defaultTaxRateBasisPoints;
    return {
      position: index + 1,
      kind: item.kind,
      description: item.description,
      quantity,
      unitAmountMinor,
      netMinor,
      taxRateBasisPoints,
      taxMinor: taxOn(netMinor, taxRateBasisPoints),
    };
  });
}
