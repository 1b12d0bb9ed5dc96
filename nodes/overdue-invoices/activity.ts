import { getInvoiceClient, listOverdueInvoices } from '../../store/invoices.ts';
import { formatMinor } from '../../lib/money/money.ts';
import { NodeInputError } from '../sdk/context.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { OverdueInvoicesConfig, OverdueInvoicesInput, OverdueInvoicesOutput } from './definition.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function asOfDate(input: OverdueInvoicesInput, now: Date): string {
  const given = input.data?.asOf;
  if (given === undefined) return now.toISOString().slice(0, 10);
  if (typeof given !== 'string' || !DATE.test(given) || Number.isNaN(Date.parse(given)))
    throw new NodeInputError(`data.asOf must be a date YYYY-MM-DD: ${JSON.stringify(given)}`);
  return given;
}

export const runOverdueInvoices: RunFn<OverdueInvoicesConfig, OverdueInvoicesInput, OverdueInvoicesOutput> = async (
  input,
  config,
  context,
) => {
  const { db } = context.services;
  const asOf = asOfDate(input, context.services.now());
  const minDays = config.minDaysOverdue ?? 1;
  const locale = config.locale ?? 'en-US';
  const found = (await listOverdueInvoices(db, asOf)).filter((invoice) => invoice.daysOverdue >= minDays);
  const chosen = found.slice(0, config.limit ?? 50);
  const emails = new Map<string, string | undefined>();
  for (const invoice of chosen) {
    if (emails.has(invoice.clientId)) continue;
    const client = await getInvoiceClient(db, invoice.clientId);
    const billingEmail = client?.billing.email;
    emails.set(invoice.clientId, typeof billingEmail === 'string' ? billingEmail : client?.emails[0]);
  }
  const invoices = chosen.map((invoice) => {
    const clientEmail = emails.get(invoice.clientId);
    return {
      id: invoice.id,
      number: invoice.number,
      clientId: invoice.clientId,
      clientName: invoice.clientName,
      ...(clientEmail ? { clientEmail } : {}),
      ...(invoice.projectId ? { projectId: invoice.projectId } : {}),
      currency: invoice.currency,
      totalMinor: invoice.totalMinor,
      totalText: formatMinor(invoice.totalMinor, invoice.currency, locale),
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      daysOverdue: invoice.daysOverdue,
    };
  });
  const notes = [
    `${invoices.length} overdue as of ${asOf}${found.length > chosen.length ? ` (of ${found.length})` : ''}`,
  ];
  return { output: { overdue: { asOf, count: invoices.length, invoices } }, meta: { notes } };
};
