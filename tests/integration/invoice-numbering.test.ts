import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { priceItems } from '../../nodes/invoice/totals.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { getInvoice, voidInvoice } from '../../store/invoices.ts';
import { issueInvoice, type IssueInvoiceRequest } from '../../store/invoice-issue.ts';

const { postgres, pglite } = inject('services');
const targets = [
  { name: postgres.embedded ? 'PGlite (as the source of truth)' : 'PostgreSQL server', ...postgres },
  { name: 'embedded PGlite', url: pglite.url, embedded: true },
];

const lines = priceItems([{ kind: 'hours', description: 'Consulting', hours: 2.5, rateMinor: 12000 }], {
  currency: 'EUR',
  defaultTaxRateBasisPoints: 2000,
});

describe.each(targets)('invoice numbering on $name', ({ url, embedded }) => {
  let db: Db;
  let clientId: string;
  // A series of its own per run, so the count below is exact whatever else the database holds.
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const series = `T${tag}-2026`;
  const request = (key: string, overrides: Partial<IssueInvoiceRequest> = {}): IssueInvoiceRequest => ({
    idempotencyKey: `${tag}/${key}`,
    series,
    clientId,
    currency: 'EUR',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    lines,
    runId: 'run-1',
    ...overrides,
  });
  const counter = async (name: string) =>
    (await db.query<{ last_number: number }>('select last_number from invoice_counters where series = $1', [name]))
      .rows[0]?.last_number ?? 0;

  beforeAll(async () => {
    db = connectDb({ url, embedded, max: 20 }); // more connections than attempts per key: real races on PostgreSQL
    const { rows } = await db.query<{ id: string }>(
      `insert into clients (name, billing) values ($1, $2) returning id`,
      [`Numbering client ${tag}`, { address: '1 Test Road' }],
    );
    clientId = rows[0]!.id;
  });
  afterAll(() => db.close());

  it('gives 20 invoices issued by 5 concurrent attempts each the numbers 1..20, one per key', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `invoice-${index + 1}`);
    const attempts = keys.flatMap((key) =>
      Array.from({ length: 5 }, () => ({ key, run: () => issueInvoice(db, request(key)) })),
    );
    const results = await Promise.all(attempts.map(async ({ key, run }) => ({ key, ...(await run()) })));

    const byKey = Map.groupBy(results, (result) => result.key);
    expect(byKey.size).toBe(20);
    for (const [key, issued] of byKey) {
      // Every attempt with one key got the same invoice, and exactly one of them created it.
      expect(new Set(issued.map((result) => result.invoice.id)).size, key).toBe(1);
      expect(new Set(issued.map((result) => result.invoice.number)).size, key).toBe(1);
      expect(
        issued.filter((result) => result.created),
        key,
      ).toHaveLength(1);
    }

    const { rows } = await db.query<{ sequence: number; number: string; idempotency_key: string }>(
      'select sequence, number, idempotency_key from invoices where series = $1 order by sequence',
      [series],
    );
    expect(rows).toHaveLength(20);
    expect(rows.map((row) => row.sequence)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(rows.map((row) => row.number)).toEqual(
      Array.from({ length: 20 }, (_, index) => `${series}-${String(index + 1).padStart(4, '0')}`),
    );
    expect(new Set(rows.map((row) => row.idempotency_key)).size).toBe(20);
    expect(await counter(series)).toBe(20);
    const lineCount = await db.query<{ count: number }>(
      'select count(*)::int as count from invoice_lines l join invoices i on i.id = l.invoice_id where i.series = $1',
      [series],
    );
    expect(lineCount.rows[0]?.count).toBe(20);
  });

  it('keeps a voided invoice’s number and continues the series after it', async () => {
    // Which number a key got depends on who won the race above; any one will do.
    const target = (await issueInvoice(db, request('invoice-7'))).invoice;
    const voided = await voidInvoice(db, target.id, 'issued to the wrong client');
    expect(voided).toMatchObject({
      number: target.number,
      sequence: target.sequence,
      status: 'void',
      voidReason: 'issued to the wrong client',
    });
    expect(voided.voidedAt).toEqual(expect.any(String));

    // Voiding again changes nothing; a retry of the voided key returns it and takes no number.
    expect((await voidInvoice(db, target.id, 'second reason')).voidReason).toBe('issued to the wrong client');
    const retried = await issueInvoice(db, request('invoice-7'));
    expect(retried).toMatchObject({ created: false, invoice: { id: target.id, status: 'void' } });

    const next = await issueInvoice(db, request('invoice-21'));
    expect(next.created).toBe(true);
    expect(next.invoice.number).toBe(`${series}-0021`);
    expect((await getInvoice(db, target.id))?.number).toBe(target.number);
    expect(await counter(series)).toBe(21);
  });

  it('takes no number when the insert fails', async () => {
    await expect(issueInvoice(db, request('orphan', { clientId: `missing-${tag}` }))).rejects.toThrow(/does not exist/);
    expect(await counter(series)).toBe(21);
    expect((await issueInvoice(db, request('invoice-22'))).invoice.sequence).toBe(22);
  });

  it('issues once when retries of one key race in two series (a retry across new year)', async () => {
    const [early, late] = [`Y${tag}-2026`, `Y${tag}-2027`];
    const attempts = Array.from({ length: 6 }, (_, index) =>
      issueInvoice(
        db,
        request(
          'new-year',
          index % 2 === 0 ? { series: early } : { series: late, issueDate: '2027-01-01', dueDate: '2027-01-31' },
        ),
      ),
    );
    const results = await Promise.all(attempts);
    expect(new Set(results.map((result) => result.invoice.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    // The losing series gave its number back: one number was taken in all.
    expect((await counter(early)) + (await counter(late))).toBe(1);
    expect(results[0]!.invoice.sequence).toBe(1);
  });
});
