import { randomUUID } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compensateInvoice, invoiceNode, voidInvoiceIssuedUnder } from '../../nodes/invoice/index.ts';
import type { InvoiceConfig, InvoiceInput, InvoiceOutput } from '../../nodes/invoice/definition.ts';
import type { NodeContext, NodeServices } from '../../nodes/sdk/context.ts';
import { NodeRegistry } from '../../nodes/sdk/registry.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { sha256Hex } from '../../lib/sha256.ts';
import { getInvoice, getInvoicePdf } from '../../store/invoices.ts';

const { postgres } = inject('services');

/** The invoice node needs only the source of truth; touching anything else is a bug this makes loud. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`the invoice node used ${name}.${String(property)}`);
    },
  });
}

describe('invoice node', () => {
  let db: Db;
  let clientId: string;
  const tag = randomUUID()
    .slice(0, 6)
    .toUpperCase()
    .replace(/[^A-Z]/g, 'X');
  const prefix = `N${tag}`;
  const logs: string[] = [];

  const config: InvoiceConfig = {
    currency: 'EUR',
    seriesPrefix: prefix,
    paymentTermsDays: 30,
    taxRateBasisPoints: 2000,
    notesTemplate: 'Dear {{clientName}}, please pay {{total}} by {{dueDate}} ({{paymentTermsDays}} days).',
    timeZone: 'Asia/Tokyo',
    seller: {
      name: 'Ada Studio',
      address: ['1 Quay Street', 'Dublin'],
      taxId: 'IE1234567X',
      paymentInstructions: 'IBAN IE29 AIBK 9311 5212 3456 78',
    },
  };

  const context = (idempotencyKey: string, attempt = 1): NodeContext => {
    const services: NodeServices = {
      db,
      memory: unused('memory'),
      embedder: unused('embedder'),
      models: unused('models'),
      // 23:30 UTC on 31 Dec 2025 is already 1 Jan 2026 in Tokyo: the invoice is numbered in 2026.
      now: () => new Date('2025-12-31T23:30:00Z'),
    };
    return {
      workflowId: 'run:invoicing:1',
      runId: 'temporal-run-1',
      nodeId: 'invoice',
      attempt,
      idempotencyKey,
      services,
      signal: new AbortController().signal,
      heartbeat: () => {},
      log: (message) => logs.push(message),
    };
  };

  /** Runs the node as the activity boundary does: config and input validated, output validated. */
  async function run(
    input: InvoiceInput,
    key: string,
    attempt = 1,
  ): Promise<{ output: InvoiceOutput; notes: string[] }> {
    for (const [part, value] of [
      ['config', config],
      ['input', input],
    ] as const) {
      const validate = validatorFor(invoiceNode[part]);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
    const outcome = await invoiceNode.run!(input, config, context(key, attempt));
    if (!('output' in outcome)) throw new Error('the invoice node asked for a human');
    const validate = validatorFor(invoiceNode.output);
    expect(validate(outcome.output), JSON.stringify(validate.errors)).toBe(true);
    return { output: outcome.output as InvoiceOutput, notes: outcome.meta?.notes ?? [] };
  }

  const input = (): InvoiceInput => ({
    billing: {
      clientId,
      items: [
        { kind: 'hours', description: 'Discovery workshop', hours: 6, rateMinor: 11000 },
        { kind: 'hours', description: 'Prototype', hours: 12.25, rateMinor: 9500 },
        { kind: 'expense', description: 'Venue', amountMinor: 18000, taxRateBasisPoints: 0 },
      ],
    },
  });

  beforeAll(async () => {
    db = connectDb(postgres);
    clientId = (
      await db.query<{ id: string }>('insert into clients (name, emails, billing) values ($1, $2, $3) returning id', [
        `Globex ${tag}`,
        ['ap@globex.example'],
        {
          name: 'Globex Corporation Ltd',
          address: { line1: '5 Market St', city: 'Leeds', postalCode: 'LS1 4AB', country: 'UK' },
          taxId: 'GB999999973',
          paymentTermsDays: 14,
        },
      ])
    ).rows[0]!.id;
  });
  afterAll(() => db.close());

  it('registers: its definition and example pass the node-definition checks', () => {
    const registry = new NodeRegistry();
    registry.register(invoiceNode);
    expect(registry.get('invoice', 1)).toMatchObject({
      category: 'finance',
      sideEffects: true,
      execution: { kind: 'activity' },
    });
    expect(invoiceNode.compensate).toBe(compensateInvoice);
  });

  it('issues a priced, numbered invoice with its PDF stored, using the client record’s terms', async () => {
    const key = `run:invoicing:${tag}/invoice`;
    const { output, notes } = await run(input(), key);
    const { invoice } = output;
    // 6 h × €110 = €660.00; 12.25 h × €95 = €1,163.75; tax 20 % on €1,823.75 = €364.75; venue €180 at 0 %.
    expect(invoice).toMatchObject({
      number: `${prefix}-2026-0001`,
      clientId,
      currency: 'EUR',
      issueDate: '2026-01-01', // today in Tokyo
      dueDate: '2026-01-15', // the client's 14 days beat the config's 30
      status: 'issued',
      netMinor: 200375,
      taxMinor: 36475,
      totalMinor: 236850,
      runId: 'temporal-run-1',
      notes: 'Dear Globex Corporation Ltd, please pay €2,368.50 by 2026-01-15 (14 days).',
    });
    expect(invoice.lines.map((line) => [line.netMinor, line.taxMinor])).toEqual([
      [66000, 13200],
      [116375, 23275],
      [18000, 0],
    ]);
    expect(output.totalText).toBe('€2,368.50');
    expect(notes[0]).toBe(`issued ${prefix}-2026-0001`);

    const pdf = await getInvoicePdf(db, invoice.id);
    expect(pdf?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256Hex(pdf!)).toBe(invoice.pdfSha256);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf!)), { mergePages: true });
    for (const expected of [
      invoice.number,
      'Globex Corporation Ltd',
      '5 Market St',
      'LS1 4AB Leeds',
      'GB999999973',
      '€2,368.50',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('returns the first invoice on a retry with the same idempotency key', async () => {
    const key = `run:invoicing:${tag}/retried`;
    const first = await run(input(), key, 1);
    const retry = await run(input(), key, 2);
    expect(retry.output).toEqual(first.output);
    expect(retry.notes).toEqual([`${first.output.invoice.number} was already issued for this key`]);
    const { rows } = await db.query<{ count: number }>(
      'select count(*)::int as count from invoices where idempotency_key = $1',
      [key],
    );
    expect(rows[0]?.count).toBe(1);
  });

  it('compensates by voiding: the number stays taken and the next invoice follows it', async () => {
    const key = `run:invoicing:${tag}/compensated`;
    const { output } = await run(input(), key);
    await compensateInvoice(output, config, { db });
    await compensateInvoice(output, config, { db }); // a retried compensation is harmless
    const voided = await getInvoice(db, output.invoice.id);
    expect(voided).toMatchObject({
      status: 'void',
      number: output.invoice.number,
      voidReason: expect.stringMatching(/later step/),
    });

    const next = await run(input(), `run:invoicing:${tag}/after-void`);
    expect(next.output.invoice.number).toBe(
      `${prefix}-2026-${String(Number(output.invoice.number.slice(-4)) + 1).padStart(4, '0')}`,
    );

    // Undoing by key reaches an invoice whose output never came back; a key that issued nothing is a no-op.
    expect((await voidInvoiceIssuedUnder(db, `run:invoicing:${tag}/after-void`))?.status).toBe('void');
    expect(await voidInvoiceIssuedUnder(db, `run:invoicing:${tag}/never-ran`)).toBeUndefined();
  });

  it('refuses an unknown client and items that cannot be priced, issuing nothing', async () => {
    const before = await db.query<{ count: number }>(
      'select count(*)::int as count from invoices where series like $1',
      [`${prefix}-%`],
    );
    await expect(
      run({ billing: { ...input().billing, clientId: `missing-${tag}` } }, `run:invoicing:${tag}/unknown`),
    ).rejects.toThrow(/\/billing\/clientId is not a known client/);
    await expect(
      run(
        { billing: { clientId, items: [{ kind: 'hours', description: 'No rate', hours: 1 }] } },
        `run:invoicing:${tag}/unpriced`,
      ),
    ).rejects.toThrow(/\/billing\/items\/0\/rateMinor is required/);
    const after = await db.query<{ count: number }>(
      'select count(*)::int as count from invoices where series like $1',
      [`${prefix}-%`],
    );
    expect(after.rows[0]?.count).toBe(before.rows[0]?.count);
  });

  it('lets the input choose currency, issue date and notes', async () => {
    const { output } = await run(
      { billing: { ...input().billing, currency: 'JPY', issueDate: '2026-06-30', notes: 'Net {{paymentTermsDays}}' } },
      `run:invoicing:${tag}/yen`,
    );
    expect(output.invoice).toMatchObject({
      currency: 'JPY',
      issueDate: '2026-06-30',
      dueDate: '2026-07-14',
      notes: 'Net 14',
    });
    expect(output.totalText).toMatch(/^¥/);
  });
});
