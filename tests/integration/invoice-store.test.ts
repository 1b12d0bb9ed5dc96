import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { priceItems } from '../../nodes/invoice/totals.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { invoiceSchema } from '../../schemas/invoice.ts';
import { connectDb, type Db } from '../../store/db.ts';
import {
  getInvoice,
  getInvoiceByNumber,
  getInvoicePdf,
  InvoiceStateError,
  listInvoices,
  listOverdueInvoices,
  markPaid,
  storeInvoicePdf,
  toInvoiceContract,
  voidInvoice,
  type StoredInvoice,
} from '../../store/invoices.ts';
import { issueInvoice, type IssueInvoiceRequest } from '../../store/invoice-issue.ts';

const { postgres, pglite } = inject('services');
const targets = [
  { name: postgres.embedded ? 'PGlite (as the source of truth)' : 'PostgreSQL server', ...postgres },
  { name: 'embedded PGlite', url: pglite.url, embedded: true },
];

describe.each(targets)('invoice store on $name', ({ url, embedded }) => {
  let db: Db;
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const series = `S${tag}-2026`;
  let clientId: string;
  let otherClientId: string;
  let projectId: string;
  const invoices: Record<string, StoredInvoice> = {};

  const issue = async (key: string, overrides: Partial<IssueInvoiceRequest>) =>
    (
      await issueInvoice(db, {
        idempotencyKey: `${tag}/${key}`,
        series,
        clientId,
        currency: 'EUR',
        issueDate: '2026-01-10',
        dueDate: '2026-02-09',
        lines: priceItems(
          [
            { kind: 'hours', description: 'Build', hours: 3.25, rateMinor: 8000 },
            { kind: 'expense', description: 'Hosting', amountMinor: 1999, taxRateBasisPoints: 0 },
          ],
          { currency: overrides.currency ?? 'EUR', defaultTaxRateBasisPoints: 1900 },
        ),
        ...overrides,
      })
    ).invoice;

  beforeAll(async () => {
    db = connectDb({ url, embedded });
    const insertClient = async (name: string) =>
      (await db.query<{ id: string }>('insert into clients (name) values ($1) returning id', [name])).rows[0]!.id;
    clientId = await insertClient(`Store client ${tag}`);
    otherClientId = await insertClient(`Other client ${tag}`);
    projectId = (
      await db.query<{ id: string }>('insert into projects (client_id, name) values ($1, $2) returning id', [
        clientId,
        'Website',
      ])
    ).rows[0]!.id;
    invoices.january = await issue('january', { projectId, notes: 'First' });
    invoices.february = await issue('february', { issueDate: '2026-02-01', dueDate: '2026-02-15' });
    invoices.march = await issue('march', { issueDate: '2026-03-01', dueDate: '2026-03-31' });
    invoices.other = await issue('other', { clientId: otherClientId, currency: 'JPY', dueDate: '2026-01-20' });
  });
  afterAll(() => db.close());

  it('stores the lines and totals it was given and reads them back as the Invoice contract', async () => {
    const january = await getInvoice(db, invoices.january!.id);
    expect(january).toMatchObject({
      number: `${series}-0001`,
      sequence: 1,
      series,
      clientId,
      projectId,
      currency: 'EUR',
      issueDate: '2026-01-10',
      dueDate: '2026-02-09',
      status: 'issued',
      notes: 'First',
      // 3.25 h × €80.00 = €260.00, 19 % = €49.40; hosting €19.99 at 0 %.
      netMinor: 27999,
      taxMinor: 4940,
      totalMinor: 32939,
    });
    expect(january).not.toHaveProperty('runId'); // absent, not null, so the contract validates
    expect(january?.lines.map((line) => [line.position, line.quantity, line.netMinor, line.taxMinor])).toEqual([
      [1, 3.25, 26000, 4940],
      [2, 1, 1999, 0],
    ]);
    const validate = validatorFor(invoiceSchema);
    expect(validate(toInvoiceContract(january!)), JSON.stringify(validate.errors)).toBe(true);
    expect((await getInvoiceByNumber(db, `${series}-0002`))?.id).toBe(invoices.february!.id);
    expect(await getInvoice(db, `missing-${tag}`)).toBeUndefined();
  });

  it('lists invoices by client, project, status and issue date, newest first', async () => {
    const numbers = (list: StoredInvoice[]) => list.map((invoice) => invoice.number);
    expect(numbers(await listInvoices(db, { clientId }))).toEqual([
      `${series}-0003`,
      `${series}-0002`,
      `${series}-0001`,
    ]);
    expect(numbers(await listInvoices(db, { projectId }))).toEqual([`${series}-0001`]);
    expect(numbers(await listInvoices(db, { series, issuedFrom: '2026-01-11', issuedTo: '2026-02-28' }))).toEqual([
      `${series}-0002`,
    ]);
    expect(numbers(await listInvoices(db, { clientId, limit: 1, offset: 1 }))).toEqual([`${series}-0002`]);
    expect(numbers(await listInvoices(db, { clientId: otherClientId, status: ['issued', 'paid'] }))).toEqual([
      `${series}-0004`,
    ]);
  });

  it('lists issued invoices past due as overdue, with the client and days late', async () => {
    const asOf = '2026-02-20';
    const overdue = (await listOverdueInvoices(db, asOf)).filter((invoice) => invoice.series === series);
    // March is not due yet; February (due 15th) and January (due 9 Feb) and the other client's (due 20 Jan) are.
    expect(overdue.map((invoice) => [invoice.number, invoice.clientName, invoice.daysOverdue])).toEqual([
      [`${series}-0004`, `Other client ${tag}`, 31],
      [`${series}-0001`, `Store client ${tag}`, 11],
      [`${series}-0002`, `Store client ${tag}`, 5],
    ]);
    // Due today is not overdue.
    const onDueDate = (await listOverdueInvoices(db, '2026-02-15')).filter((invoice) => invoice.series === series);
    expect(onDueDate.map((invoice) => invoice.number)).not.toContain(`${series}-0002`);
    await expect(listOverdueInvoices(db, 'yesterday')).rejects.toThrow(RangeError);
  });

  it('stops listing an invoice as overdue once paid or void, and refuses moves out of those states', async () => {
    const paidAt = new Date('2026-02-18T10:00:00Z');
    const paid = await markPaid(db, invoices.february!.id, paidAt);
    expect(paid).toMatchObject({ status: 'paid', paidAt: paidAt.toISOString() });
    expect((await markPaid(db, invoices.february!.id, new Date())).paidAt).toBe(paidAt.toISOString());
    await expect(voidInvoice(db, invoices.february!.id, 'oops')).rejects.toThrow(/credit note/);

    await voidInvoice(db, invoices.other!.id, 'duplicate');
    await expect(markPaid(db, invoices.other!.id)).rejects.toThrow(InvoiceStateError);
    await expect(voidInvoice(db, `missing-${tag}`, 'x')).rejects.toThrow(/does not exist/);

    const overdue = (await listOverdueInvoices(db, '2026-02-20')).filter((invoice) => invoice.series === series);
    expect(overdue.map((invoice) => invoice.number)).toEqual([`${series}-0001`]);
  });

  it('stores a PDF with its sha256 once, and refuses different bytes later', async () => {
    const pdf = Buffer.from('%PDF-1.3\nnot really a PDF, but bytes are bytes\n%%EOF');
    const sha = await storeInvoicePdf(db, invoices.march!.id, pdf);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await storeInvoicePdf(db, invoices.march!.id, pdf)).toBe(sha);
    expect((await getInvoice(db, invoices.march!.id))?.pdfSha256).toBe(sha);
    expect(Buffer.compare((await getInvoicePdf(db, invoices.march!.id))!, pdf)).toBe(0);
    await expect(storeInvoicePdf(db, invoices.march!.id, Buffer.from('%PDF-changed'))).rejects.toThrow(
      /already has a different PDF/,
    );
    expect(await getInvoicePdf(db, invoices.january!.id)).toBeUndefined();
  });

  it('refuses a request with no lines, bad dates or a due date before the issue date', async () => {
    await expect(issue('empty', { lines: [] })).rejects.toThrow(/at least one line/);
    await expect(issue('backwards', { issueDate: '2026-03-01', dueDate: '2026-02-01' })).rejects.toThrow(
      /dueDate is before issueDate/,
    );
    await expect(issue('lower', { currency: 'eur' })).rejects.toThrow(RangeError);
  });
});
