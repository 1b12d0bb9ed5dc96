import { getInvoice, InvoiceStateError, voidInvoice } from '../../store/invoices.ts';
import { declined, humanReviewer } from '../project-record/decision.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { VoidInvoiceConfig, VoidInvoiceInput, VoidInvoiceOutput } from './definition.ts';

export const runVoidInvoice: RunFn<VoidInvoiceConfig, VoidInvoiceInput, VoidInvoiceOutput> = async (
  input,
  config,
  context,
) => {
  const { db } = context.services;
  const { id, number } = input.invoice;
  const current = await getInvoice(db, id);
  if (!current) throw new NodeInputError(`invoice ${number} (${id}) does not exist`);
  if (input.decision !== undefined && !declined(input.decision)) {
    return {
      output: { voided: false, status: current.status },
      meta: { notes: [`${number} kept: ${input.decision}`] },
    };
  }
  const by = humanReviewer(input.reviewer);
  const reason = `${config.reason ?? 'turned down in review'}${by ? ` by ${by}` : ''}`;
  try {
    const voided = await voidInvoice(db, id, reason);
    return { output: { voided: true, status: voided.status }, meta: { notes: [`${number} void: ${reason}`] } };
  } catch (error) {
    if (error instanceof InvoiceStateError) throw new NodeInputError(error.message);
    throw error;
  }
};
