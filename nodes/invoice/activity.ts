import { ValidationError } from '../../schemas/ajv.ts';
import { getInvoiceClient, storeInvoicePdf, toInvoiceContract } from '../../store/invoices.ts';
import { invoiceSeries, issueInvoice } from '../../store/invoice-issue.ts';
import type { RunFn } from '../sdk/define-node.ts';
import { addDays, dateIn } from './calendar.ts';
import type { InvoiceConfig, InvoiceInput, InvoiceOutput } from './definition.ts';
import { formatMinor } from '../../lib/money/money.ts';
import { fillTemplate } from './notes.ts';
import { billToFromClient, clientBillingDefaults } from './parties.ts';
import { renderInvoicePdf } from './pdf.ts';
import { totalsOf } from '../../lib/money/totals.ts';
import { priceItems } from './totals.ts';

/**
 * Prices the items, issues the invoice under the activity's idempotency key (so a retry gets
 * the invoice the first attempt issued, number and all), then renders and stores its PDF once.
 * Settings: the input beats the client record's `billing`, which beats the node's config.
 */
export const runInvoice: RunFn<InvoiceConfig, InvoiceInput, InvoiceOutput> = async (input, config, context) => {
  const { db } = context.services;
  const { billing } = input;
  const client = await getInvoiceClient(db, billing.clientId);
  if (!client) {
    throw new ValidationError('invoice input', [{ pointer: '/billing/clientId', message: 'is not a known client' }]);
  }
  const defaults = clientBillingDefaults(client.billing);
  const currency = billing.currency ?? defaults.currency ?? config.currency;
  const locale = config.locale ?? 'en-US';
  const paymentTermsDays = defaults.paymentTermsDays ?? config.paymentTermsDays ?? 30;
  const lines = priceItems(
    billing.items,
    { currency, defaultTaxRateBasisPoints: defaults.taxRateBasisPoints ?? config.taxRateBasisPoints ?? 0 },
    '/billing/items',
  );
  const issueDate = billing.issueDate ?? dateIn(context.services.now(), config.timeZone ?? 'UTC');
  const dueDate = addDays(issueDate, paymentTermsDays);
  const billTo = billToFromClient(client);
  const template = billing.notes ?? config.notesTemplate;
  const notes =
    template &&
    fillTemplate(template, {
      clientName: billTo.name,
      issueDate,
      dueDate,
      total: formatMinor(totalsOf(lines).totalMinor, currency, locale),
      paymentTermsDays: String(paymentTermsDays),
      currency,
    });

  const { invoice: stored, created } = await issueInvoice(db, {
    idempotencyKey: context.idempotencyKey,
    series: invoiceSeries(config.seriesPrefix ?? 'INV', issueDate),
    clientId: billing.clientId,
    ...(billing.projectId ? { projectId: billing.projectId } : {}),
    currency,
    issueDate,
    dueDate,
    lines,
    ...(notes ? { notes } : {}),
    runId: context.runId,
  });
  const notesForLedger = [created ? `issued ${stored.number}` : `${stored.number} was already issued for this key`];

  // The PDF is drawn from the stored invoice, so a retry after a crash draws the same bytes.
  let pdfSha256 = stored.pdfSha256;
  if (!pdfSha256) {
    const pdf = await renderInvoicePdf(stored, { seller: config.seller, billTo, locale });
    pdfSha256 = await storeInvoicePdf(db, stored.id, pdf);
    notesForLedger.push(`PDF ${pdf.length} bytes, sha256 ${pdfSha256}`);
  }
  context.log('invoice ready', { number: stored.number, created, status: stored.status });
  return {
    output: {
      invoice: toInvoiceContract({ ...stored, pdfSha256 }),
      totalText: formatMinor(stored.totalMinor, stored.currency, locale),
    },
    meta: { notes: notesForLedger },
  };
};
