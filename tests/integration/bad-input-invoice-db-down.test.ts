import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceConfig, InvoiceInput } from '../../nodes/invoice/definition.ts';
import { invoiceNode } from '../../nodes/invoice/index.ts';
import type { NodeContext, NodeServices } from '../../nodes/sdk/context.ts';
import { startPglite } from '../../services/postgres.ts';
import { freePort } from '../../services/ports.ts';
import type { PostgresEndpoint } from '../../services/postgres.ts';
import type { ManagedProcess } from '../../services/child-process.ts';
import type { RunningService } from '../../services/service.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';

// Issue 19, bad-input row "PostgreSQL stopped during an invoice node": the database process is
// killed while the node's transaction is half done (the invoice row written, its lines not yet).
// Nothing half-written survives: no invoice, no number taken; the retried node issues the invoice
// whole, with the first number of its series.

const unused = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`the invoice node used ${name}.${String(property)}`);
    },
  });

describe('PostgreSQL killed during an invoice node', () => {
  let folder: string;
  let pglite: RunningService<PostgresEndpoint>;
  let current: ManagedProcess | undefined;
  let db: Db;
  let clientId: string;

  const config: InvoiceConfig = {
    currency: 'EUR',
    seriesPrefix: 'CRASH',
    paymentTermsDays: 30,
    taxRateBasisPoints: 2000,
    timeZone: 'UTC',
    seller: { name: 'Ada Studio', address: ['1 Quay Street', 'Dublin'] },
  };
  const input: InvoiceInput = {
    billing: {
      clientId: '',
      items: [
        { kind: 'hours', description: 'Discovery workshop', hours: 6, rateMinor: 11000 },
        { kind: 'expense', description: 'Venue', amountMinor: 18000, taxRateBasisPoints: 0 },
      ],
    },
  };
  const context = (attempt: number): NodeContext => {
    const services: NodeServices = {
      db,
      memory: unused('memory'),
      embedder: unused('embedder'),
      models: unused('models'),
      now: () => new Date('2026-03-02T10:00:00Z'),
    };
    return {
      workflowId: 'run:invoicing:crash',
      runId: 'temporal-run-crash',
      nodeId: 'invoice',
      attempt,
      idempotencyKey: 'run:invoicing:crash/invoice',
      services,
      signal: new AbortController().signal,
      heartbeat: () => {},
      log: () => {},
    };
  };
  const runNode = (attempt: number) =>
    invoiceNode.run!({ billing: { ...input.billing, clientId } }, config, context(attempt));

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'trellis-invoice-crash-'));
    pglite = await startPglite(await freePort(), path.join(folder, 'pglite'), path.join(folder, 'run'), 'pglite-crash');
    current = pglite.process;
    await migrate(pglite.endpoint.url);
    db = connectDb(pglite.endpoint);
    clientId = (
      await db.query<{ id: string }>('insert into clients (name, emails) values ($1, $2) returning id', [
        'Globex',
        ['ap@globex.example'],
      ])
    ).rows[0]!.id;
    // Holds the node's transaction between the invoice row and its lines, long enough to kill the database.
    await db.query(`
      create function slow_invoice_lines() returns trigger language plpgsql as $$
      begin perform pg_sleep(8); return new; end $$;
      create trigger slow_invoice_lines before insert on invoice_lines
        for each row execute function slow_invoice_lines();`);
  }, 120_000);
  afterAll(async () => {
    await db?.close().catch(() => {});
    await current?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('leaves no half-written invoice and issues it whole on the retry', async () => {
    const first = runNode(1);
    const settled = first.then(
      () => 'completed',
      (error: unknown) => (error as Error).message,
    );
    // Bounded wait until the transaction is inside the slowed lines insert.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    current!.child.kill('SIGKILL');
    await current!.exited;
    const outcome = await Promise.race([
      settled,
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 20 s'), 20_000)),
    ]);
    expect(outcome).not.toBe('completed');
    expect(outcome).not.toBe('still waiting after 20 s');

    current = await pglite.respawn!();
    const counts = async () =>
      (
        await db.query<{ invoices: number; lines: number; counter: number | null }>(
          `select (select count(*)::int from invoices) as invoices,
                  (select count(*)::int from invoice_lines) as lines,
                  (select last_number from invoice_counters where series like 'CRASH%') as counter`,
        )
      ).rows[0]!;
    // The pool may hand out a connection that died with the old process first.
    let after = await counts().catch(() => counts());
    expect(after).toMatchObject({ invoices: 0, lines: 0 });
    expect(after.counter ?? 0).toBe(0);

    await db.query('drop trigger slow_invoice_lines on invoice_lines');
    const retried = await runNode(2);
    if (!('output' in retried)) throw new Error('the invoice node asked for a human');
    const { invoice } = retried.output as { invoice: { number: string; lines: unknown[] } };
    expect(invoice.number).toBe('CRASH-2026-0001');
    expect(invoice.lines).toHaveLength(2);
    after = await counts();
    expect(after).toMatchObject({ invoices: 1, lines: 2, counter: 1 });
  }, 120_000);
});
