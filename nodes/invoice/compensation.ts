import type { Queryable } from '../../store/db.ts';
import { getInvoiceByKey, voidInvoice, type StoredInvoice } from '../../store/invoices.ts';
import type { InvoiceConfig, InvoiceOutput } from './definition.ts';

export const compensationReason = 'voided: a later step of the run failed';

/**
 * The saga compensation of the invoice node (the shape `defineNode` takes as `compensate`):
 * voids the invoice the node issued. It keeps its number, which is never reused, so the series
 * stays gap-free. Idempotent; a paid invoice is refused (that needs a credit note, by a human).
 */
export async function compensateInvoice(
  output: Pick<InvoiceOutput, 'invoice'>,
  _config: InvoiceConfig,
  services: { db: Queryable },
): Promise<void> {
  await voidInvoice(services.db, output.invoice.id, compensationReason);
}

/**
 * Voids whatever invoice an idempotency key issued, for a saga that must also undo an attempt
 * that issued the invoice and then failed before reporting its output. Undefined when none was.
 */
export async function voidInvoiceIssuedUnder(
  db: Queryable,
  idempotencyKey: string,
  reason = compensationReason,
): Promise<StoredInvoice | undefined> {
  const invoice = await getInvoiceByKey(db, idempotencyKey);
  return invoice && voidInvoice(db, invoice.id, reason);
}
