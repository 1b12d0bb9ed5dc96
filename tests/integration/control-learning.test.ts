import { verifiedSender } from '../support/verified-mail.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordCorrection } from '../../control/learning/corrections.ts';
import { classifyEvent } from '../../control/router/classify.ts';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import type { Event } from '../../schemas/event.ts';
import { createClient } from '../../store/clients.ts';
import { recordEvent } from '../../store/events.ts';
import { getReviewTask } from '../../store/review-tasks.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { decide, runStatus } from '../../temporal/runs.ts';
import { graph } from '../support/graph-builder.ts';
import { realServices, startHarness, type Harness } from '../support/interpreter-harness.ts';

const greta = { name: 'Greta Olsen', address: 'greta@northwind-learning.example' };

function email(from: { name: string; address: string }, subject: string, text: string) {
  return {
    type: 'email.received',
    actor: { kind: 'person' as const, ...from },
    source: { kind: 'email' as const, uri: `mid:${randomUUID()}@mail.example`, version: '1' },
    occurredAt: '2025-06-02T09:00:00+02:00',
    confidence: 1,
    payload: { subject, text },
    // From Northwind's own server, verified: their corrections may steer the next extraction.
    metadata: { senderVerification: verifiedSender },
  };
}

// Northwind's weekly order sheet: the local tier is unsure what it is and finds the stock value as
// an amount. The owner says it is a routine report (other, or a change request when the machine
// already said other), and the stock value is not money owed.
const orderSheet = (week: number, from = greta) =>
  email(
    from,
    `Order sheet week ${week}`,
    `Hi Lena,\n\nAttached is our order sheet for week ${week}. Store 12 reports stock value of ${week * 100} EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders`,
  );

const triage = graph(
  'learning triage',
  [
    ['start', 'trigger', { kind: 'email', source: 'inbox' }],
    ['extract', 'extract', { policy: { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: 0.6 } }],
  ],
  ['start.event -> extract.event'],
);

interface Extraction {
  intent: { label: string; confidence: number };
  amounts: { text: string }[];
  confidence: number;
  tier?: string;
}

describe('learning from corrections', () => {
  let h: Harness;
  let services: NodeServices & { close(): Promise<void> };
  let machineIntent = '';
  let ownerIntent = '';

  const store = async (draft: ReturnType<typeof email>): Promise<Event> =>
    (await recordEvent(h.db, draft, { idempotencyKey: `learning-test:${randomUUID()}` })).event;
  const run = async (event: Event) =>
    h.start(h.compile(triage), { event: event as unknown as Record<string, unknown> });
  async function waitingTask(workflowId: string): Promise<string | undefined> {
    for (let i = 0; i < 100; i++) {
      const status = await runStatus(h.client, workflowId).catch(() => undefined);
      if (status?.waitingTasks[0]) return status.waitingTasks[0];
      if (status?.status === 'completed') return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the run neither waited nor completed');
  }

  beforeAll(async () => {
    h = await startHarness(inject('services'), {
      nodeServices: async (db) => (services = await realServices(inject('services'), db)),
    });
    await createClient(h.db, { name: 'Northwind Traders', emails: [greta.address] });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await services.close();
  });

  it('extracts the next similar email of the client with the correction applied', async () => {
    const first = await store(orderSheet(23));
    expect(first.clientId).toBeDefined();
    const { handle } = await run(first);
    const taskId = await waitingTask(handle.workflowId);
    const task = await getReviewTask(h.db, taskId!);
    const proposed = (task!.proposed as { extraction: Extraction }).extraction;
    machineIntent = proposed.intent.label;
    ownerIntent = machineIntent === 'other' ? 'change-request' : 'other';
    expect(proposed.amounts.map((a) => a.text)).toEqual(['2300 EUR']);
    const corrected = { ...proposed, intent: { label: ownerIntent, confidence: 1 }, amounts: [] };
    await decide(h.client, handle.workflowId, {
      taskId: taskId!,
      decision: 'edited',
      reviewer: 'lena',
      value: { extraction: corrected },
    });
    await handle.result();

    const stored = await recordCorrection({ db: h.db, memory: services.memory }, taskId!);
    expect(stored).toMatchObject({ kind: 'extraction', decision: 'edited', created: true });
    expect(stored?.rules).toMatchObject({
      intentBefore: machineIntent,
      intentAfter: ownerIntent,
      remove: [{ category: 'amounts', text: '2300 EUR', pattern: 'store # reports stock value of # eur.' }],
    });
    const record = await services.memory.get(stored!.memoryId);
    expect(record).toMatchObject({
      kind: 'correction',
      clientId: first.clientId,
      source: { uri: `trellis://review/${taskId}`, version: '1' },
      provenance: { workflowId: handle.workflowId, nodeId: 'extract', reviewer: 'lena' },
    });
    expect(record?.text).toMatch(
      new RegExp(
        `^Correction of an extraction, email from Greta Olsen <greta@northwind-learning\\.example>: intent ${machineIntent} → ${ownerIntent}; removed amount "2300 EUR"\\.`,
      ),
    );
    expect((await recordCorrection({ db: h.db, memory: services.memory }, taskId!))?.created).toBe(false);

    // Week 24: the same kind of email from the same client is extracted with the correction.
    const next = await run(await store(orderSheet(24)));
    const result = await next.handle.result();
    const extraction = (result.outputs.extract as { extraction: Extraction }).extraction;
    expect(extraction.intent.label).toBe(ownerIntent);
    expect(extraction.amounts).toEqual([]);
    expect(extraction.tier).toBe('local');
    expect(extraction.confidence).toBeGreaterThanOrEqual(0.6);
    const entry = (await fetchLedger(h.client, next.handle.workflowId)).entries.find((e) => e.nodeId === 'extract');
    expect(entry?.approvals).toEqual([]);
    expect(entry?.notes).toEqual(
      expect.arrayContaining([
        `corrections: 1 of client ${first.clientId} apply`,
        expect.stringMatching(
          new RegExp(
            `^correction ${stored!.memoryId} \\(similarity (0\\.9\\d|1\\.00)\\): intent ${machineIntent} → ${ownerIntent}$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^correction ${stored!.memoryId} \\(similarity (0\\.9\\d|1\\.00)\\): removed amount "2400 EUR"$`),
        ),
      ]),
    );

    // The router classifies with the same corrections.
    const classified = await classifyEvent(
      { memory: services.memory, embedder: services.embedder },
      await store(orderSheet(25)),
    );
    expect(classified.intent).toBe(ownerIntent);
  }, 120_000);

  it('leaves other clients and dissimilar emails of the client as they were', async () => {
    const stranger = await run(
      await store(orderSheet(26, { name: 'Greta Olsen', address: 'greta@elsewhere.example' })),
    );
    expect(await waitingTask(stranger.handle.workflowId)).toBeDefined();
    const proposal = (
      await h.db.query<{ proposed: { extraction: Extraction } }>(
        `select proposed from review_tasks where workflow_id = $1`,
        [stranger.handle.workflowId],
      )
    ).rows[0]!.proposed.extraction;
    expect(proposal.intent.label).toBe(machineIntent);
    expect(proposal.amounts.map((a) => a.text)).toEqual(['2600 EUR']);
    await stranger.handle.terminate('test done');

    const payment = await run(
      await store(
        email(
          greta,
          'Payment for order 77',
          'Hi Lena, we paid the invoice for order 77 by wire transfer today, 1,200 EUR. Regards, Greta',
        ),
      ),
    );
    // Whether it passes alone or waits for a person, it is read as it would be without corrections.
    const waiting = await waitingTask(payment.handle.workflowId);
    const read = waiting
      ? ((await getReviewTask(h.db, waiting))!.proposed as { extraction: Extraction })
      : ((await payment.handle.result()).outputs.extract as { extraction: Extraction });
    expect(read.extraction.intent.label).toBe('billing');
    expect(read.extraction.amounts.map((a) => a.text)).toEqual(['1,200 EUR']);
    if (waiting) await payment.handle.terminate('test done');
    const entry = (await fetchLedger(h.client, payment.handle.workflowId)).entries.find((e) => e.nodeId === 'extract');
    expect(entry?.notes?.some((note) => note.startsWith('correction '))).toBe(false);
  }, 120_000);
});
