import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { billableItemsNode } from '../../nodes/billable-items/index.ts';
import { clientIntakeNode } from '../../nodes/client-intake/index.ts';
import { overdueInvoicesNode } from '../../nodes/overdue-invoices/index.ts';
import { projectActivityNode } from '../../nodes/project-activity/index.ts';
import { projectRecordNode } from '../../nodes/project-record/index.ts';
import { NodeInputError, type NodeContext } from '../../nodes/sdk/context.ts';
import type { NodeDefinition } from '../../nodes/sdk/define-node.ts';
import { voidInvoiceNode } from '../../nodes/void-invoice/index.ts';
import { appendProjectRecord } from '../../store/project-records.ts';
import { createClient } from '../../store/clients.ts';
import { createProject, listProjects } from '../../store/projects.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { invoiceSeries, issueInvoice } from '../../store/invoice-issue.ts';
import { markPaid } from '../../store/invoices.ts';
import { dbOnlyServices } from '../support/interpreter-harness.ts';

function contextFor(db: Db, key = randomUUID(), now = new Date()): NodeContext {
  return {
    workflowId: `run:nodes:${key}`,
    runId: 'r1',
    nodeId: 'node',
    attempt: 1,
    idempotencyKey: key,
    services: { ...dbOnlyServices(db), now: () => now },
    signal: new AbortController().signal,
    heartbeat: () => {},
    log: () => {},
  };
}

async function run(node: NodeDefinition, input: object, config: object, context: NodeContext) {
  const outcome = await node.run!(input, config, context);
  if (!('output' in outcome)) throw new Error('expected an output');
  return outcome.output as Record<string, unknown>;
}

const event = (tag: string, extra: Record<string, unknown> = {}) => ({
  id: `evt-${tag}`,
  type: 'email.received',
  status: 'accepted' as const,
  actor: { kind: 'person' as const, name: 'Ada Lane', address: `ada@${tag}.test` },
  source: { kind: 'email' as const, uri: `mid:${tag}@mail.test`, version: '1' },
  occurredAt: '2026-03-02T10:00:00Z',
  receivedAt: '2026-03-02T10:00:01Z',
  confidence: 1,
  threadId: `thread-${tag}`,
  payload: { subject: 'A new shop', text: 'We need a shop.' },
  metadata: {},
  ...extra,
});

describe('template nodes against the real source of truth', () => {
  let db: Db;
  beforeAll(() => {
    db = connectDb(inject('services').postgres);
  });
  afterAll(() => db.close());

  it('project-record writes once per key, writes nothing when declined, and refuses an unknown project', async () => {
    const project = await createProject(db, { name: `P ${randomUUID()}` });
    const context = contextFor(db);
    const config = { kind: 'reply' };
    const input = {
      content: { kind: 'reply', subject: 'Re: hi', text: 'Hello' },
      projectId: project.id,
      reviewer: 'ana',
    };
    const first = await run(projectRecordNode, input, config, context);
    const retry = await run(projectRecordNode, input, config, context);
    expect(retry.record).toEqual(first.record);
    expect(first.record).toMatchObject({ title: 'Re: hi', version: 1, body: { reviewedBy: 'ana' } });
    expect(await run(projectRecordNode, { ...input, decision: 'rejected' }, config, contextFor(db))).toEqual({
      written: false,
      reason: 'the review was rejected by ana: nothing written',
    });
    const system = await run(projectRecordNode, { ...input, reviewer: 'system:timeout' }, config, contextFor(db));
    expect((system.record as { body: object }).body).not.toHaveProperty('reviewedBy');
    await expect(run(projectRecordNode, { content: 'x', projectId: 'nope' }, config, contextFor(db))).rejects.toThrow(
      NodeInputError,
    );
    await expect(run(projectRecordNode, { content: 'x' }, config, contextFor(db))).rejects.toThrow(/needs a project/);
  });

  it('client-intake reuses a client that owns the address, and a retry creates no second project', async () => {
    const tag = randomUUID().slice(0, 8);
    const known = await createClient(db, { name: `Known ${tag}`, emails: [`ada@${tag}.test`] });
    const context = contextFor(db);
    const input = { event: event(tag) };
    const first = await run(clientIntakeNode, input, { projectStatus: 'active' }, context);
    const retry = await run(clientIntakeNode, input, { projectStatus: 'active' }, context);
    expect(retry).toEqual(first);
    expect(first).toMatchObject({
      created: true,
      clientId: known.id,
      client: { existing: true },
      project: { name: 'A new shop', status: 'active' },
    });
    const projects = (await listProjects(db, { clientId: known.id })).items;
    expect(projects).toHaveLength(1);
    expect(projects[0]?.threadIds).toEqual([`thread-${tag}`]);
    expect(await run(clientIntakeNode, { ...input, decision: 'expired' }, {}, contextFor(db))).toMatchObject({
      created: false,
    });
  });

  it('billable-items names the record that cannot be billed', async () => {
    const client = await createClient(db, { name: 'Billed' });
    const project = await createProject(db, { clientId: client.id, name: 'Work' });
    const add = (kind: string, body: object) =>
      appendProjectRecord(db, {
        projectId: project.id,
        kind,
        title: kind,
        body,
        idempotencyKey: randomUUID(),
        runId: 'seed',
        nodeId: 'seed',
      });
    const context = contextFor(db);
    expect(await run(billableItemsNode, { data: { projectId: project.id } }, {}, context)).toEqual({
      projectId: project.id,
      recordIds: [],
      count: 0,
    });
    const { record } = await add('time-entry', { description: 'Design', hours: 3 });
    await expect(run(billableItemsNode, { data: { projectId: project.id } }, {}, context)).rejects.toThrow(
      new RegExp(`time-entry record ${record.id} .* rateMinor is missing`),
    );
    const priced = await run(billableItemsNode, {}, { projectId: project.id, defaultRateMinor: 5000 }, context);
    expect(priced.billing).toEqual({
      clientId: client.id,
      projectId: project.id,
      items: [{ kind: 'hours', description: 'Design', hours: 3, rateMinor: 5000 }],
    });
    const orphan = await createProject(db, { name: 'No client' });
    await expect(run(billableItemsNode, {}, { projectId: orphan.id }, context)).rejects.toThrow(/no client/);
  });

  it('overdue-invoices applies the grace period and refuses a malformed date; void-invoice never voids a paid one', async () => {
    const client = await createClient(db, { name: `Late ${randomUUID()}`, billing: { email: 'ap@late.test' } });
    const tag =
      randomUUID()
        .replace(/[^a-f]/g, '')
        .toUpperCase()
        .slice(0, 6) || 'X';
    const issue = (key: string, dueDate: string) =>
      issueInvoice(db, {
        idempotencyKey: `${tag}-${key}`,
        series: invoiceSeries(`Z${tag}`, '2026-01-01'),
        clientId: client.id,
        currency: 'USD',
        issueDate: '2026-01-01',
        dueDate,
        lines: [
          {
            position: 1,
            kind: 'fixed',
            description: 'Work',
            quantity: 1,
            unitAmountMinor: 1000,
            netMinor: 1000,
            taxRateBasisPoints: 0,
            taxMinor: 0,
          },
        ],
      });
    const { invoice: long } = await issue('long', '2026-02-01');
    const { invoice: recent } = await issue('recent', '2026-02-27');
    const output = await run(
      overdueInvoicesNode,
      { data: { asOf: '2026-03-01' } },
      { minDaysOverdue: 7 },
      contextFor(db),
    );
    const numbers = (output.overdue as { invoices: { number: string; clientEmail?: string }[] }).invoices;
    expect(numbers).toContainEqual(expect.objectContaining({ number: long.number, clientEmail: 'ap@late.test' }));
    expect(numbers.map((i) => i.number)).not.toContain(recent.number);
    await expect(run(overdueInvoicesNode, { data: { asOf: '1 March' } }, {}, contextFor(db))).rejects.toThrow(
      /YYYY-MM-DD/,
    );

    const kept = await run(voidInvoiceNode, { invoice: recent, decision: 'approved' }, {}, contextFor(db));
    expect(kept).toEqual({ voided: false, status: 'issued' });
    await markPaid(db, long.id);
    await expect(run(voidInvoiceNode, { invoice: long, decision: 'rejected' }, {}, contextFor(db))).rejects.toThrow(
      /paid, not void/,
    );
  });

  it('project-activity keeps to the period and the kinds asked for', async () => {
    const project = await createProject(db, { name: 'Activity' });
    for (const kind of ['decision', 'tasks'])
      await appendProjectRecord(db, {
        projectId: project.id,
        kind,
        title: `A ${kind}`,
        body: { content: { text: `the ${kind}` } },
        idempotencyKey: randomUUID(),
        runId: 'seed',
        nodeId: 'seed',
      });
    const now = await run(
      projectActivityNode,
      { data: { projectId: project.id } },
      { recordKinds: ['decision'] },
      contextFor(db),
    );
    expect((now.activity as { records: unknown[] }).records).toEqual([
      expect.objectContaining({ kind: 'decision', title: 'A decision', text: 'the decision' }),
    ]);
    const later = new Date(Date.now() + 10 * 86_400_000);
    const after = await run(
      projectActivityNode,
      {},
      { projectId: project.id, days: 7 },
      contextFor(db, undefined, later),
    );
    expect((after.activity as { records: unknown[] }).records).toEqual([]);
  });
});
