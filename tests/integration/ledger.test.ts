import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validatorFor } from '../../schemas/ajv.ts';
import { ledgerEntrySchema } from '../../schemas/ledger-entry.ts';
import { ENCRYPTED_ENCODING } from '../../temporal/codec/payload-codec.ts';
import { decide, runStatus } from '../../temporal/runs.ts';
import { diffOutputs, fetchLedger, rerunFrom } from '../../temporal/rerun.ts';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

async function waitingTask(h: Harness, workflowId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const status = await runStatus(h.client, workflowId).catch(() => undefined);
    const [taskId] = status?.waitingTasks ?? [];
    if (taskId) return taskId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no waiting task');
}

describe('ledger from Temporal history', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(inject('services'));
  });
  afterAll(() => h.close());

  const pipeline = graph(
    'pipeline',
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['shape', 'transform', { expression: '{ "total": $sum(items.amount) }' }],
      ['flaky', 'test.echo', { failAttempts: 1 }],
      ['effect', 'test.effect'],
      ['review', 'human-review', { instructions: 'Approve the total', timeoutMinutes: 60, onTimeout: 'reject' }],
    ],
    [
      'start.data -> shape.value',
      'shape.value -> flaky.value',
      'flaky.value -> effect.value',
      'flaky.value -> review.value',
    ],
  );

  it('shows every node with its input, output, attempts, tier and approvals', async () => {
    const plan = h.compile(pipeline);
    const { handle } = await h.start(plan, { data: { items: [{ amount: 40 }, { amount: 2 }] } });
    const taskId = await waitingTask(h, handle.workflowId);
    const waiting = await fetchLedger(h.client, handle.workflowId);
    expect(waiting.status).toBe('running');
    expect(waiting.entries.find((e) => e.nodeId === 'review')?.status).toBe('waiting');

    await decide(h.client, handle.workflowId, {
      taskId,
      decision: 'edited',
      reviewer: 'ana',
      value: { total: 43 },
      note: 'add fee',
    });
    await handle.result();
    const ledger = await fetchLedger(h.client, handle.workflowId);

    expect(ledger.status).toBe('completed');
    expect(ledger.planHash).toBe(plan.hash);
    expect(ledger.entries.map((e) => e.nodeId)).toEqual(plan.order);
    const validate = validatorFor(ledgerEntrySchema);
    for (const entry of ledger.entries) expect(validate(entry), JSON.stringify(validate.errors)).toBe(true);

    const byId = Object.fromEntries(ledger.entries.map((e) => [e.nodeId, e]));
    expect(byId.start).toMatchObject({
      status: 'completed',
      output: { data: { items: [{ amount: 40 }, { amount: 2 }] } },
    });
    expect(byId.shape).toMatchObject({
      status: 'completed',
      input: { value: { items: [{ amount: 40 }, { amount: 2 }] } },
      output: { value: { total: 42 } },
      attempt: 1,
    });
    expect(byId.flaky).toMatchObject({
      status: 'completed',
      attempt: 2,
      input: { value: { total: 42 } },
      output: { value: { total: 42 } },
    });
    expect(byId.effect).toMatchObject({ status: 'completed', output: { key: `${handle.workflowId}/effect` } });
    expect(byId.review).toMatchObject({
      status: 'completed',
      tier: 'human',
      output: { decision: 'edited', reviewer: 'ana', value: { total: 43 }, note: 'add fee' },
    });
    expect(byId.review?.approvals).toEqual([
      expect.objectContaining({ taskId, decision: 'edited', reviewer: 'ana', value: { total: 43 }, note: 'add fee' }),
    ]);
    for (const entry of ledger.entries) {
      expect(Date.parse(entry.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(entry.endedAt ?? ''));
    }
    expect(ledger.totals.humanDecisions).toBe(1);

    // The harness encrypts like the product: Temporal itself holds only sealed payloads.
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const encoding = Buffer.from(started?.metadata?.[METADATA_ENCODING_KEY] ?? []).toString('utf8');
    expect(encoding).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(started?.data ?? []).toString('utf8')).not.toContain('amount');
  });

  it('records a refused decision as a note, not an approval', async () => {
    const { handle } = await h.start(
      h.compile(
        graph(
          'fallback',
          [
            ['start', 'trigger', { kind: 'manual' }],
            ['draft', 'test.ask-human'],
          ],
          ['start.data -> draft.value'],
        ),
      ),
      { data: { topic: 'x' } },
    );
    const taskId = await waitingTask(h, handle.workflowId);
    await expect(
      decide(h.client, handle.workflowId, { taskId, decision: 'edited', reviewer: 'bob', value: { text: '' } }),
    ).rejects.toThrow();
    await decide(h.client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' });
    await handle.result();
    const draft = (await fetchLedger(h.client, handle.workflowId)).entries.find((e) => e.nodeId === 'draft');
    expect(draft).toMatchObject({
      status: 'completed',
      tier: 'human',
      confidence: 0.2,
      output: { text: 'draft for {"topic":"x"}' },
    });
    expect(draft?.approvals.map((a) => [a.decision, a.reviewer])).toEqual([['approved', 'ana']]);
    expect(draft?.notes?.some((note) => note.includes('refused') && note.includes('bob'))).toBe(true);
  });

  it('re-runs from a node with recorded upstream outputs; nothing changed gives an empty diff', async () => {
    const plan = h.compile(
      graph(
        'rerun-pure',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['shape', 'transform', { expression: '$' }],
          ['echo', 'test.echo', { tag: 'x' }],
          ['last', 'transform', { expression: '{ "done": value }' }],
        ],
        ['start.data -> shape.value', 'shape.value -> echo.value', 'echo.value -> last.value'],
      ),
    );
    const original = await h.start(plan, { data: { n: 5 } });
    await original.handle.result();
    const rerun = await rerunFrom(h.client, {
      workflowId: original.handle.workflowId,
      fromNode: 'echo',
      taskQueue: h.taskQueue,
      idempotencyKey: 'rerun-pure',
    });
    expect(rerun.reused).toEqual(['shape']);
    await rerun.handle.result();
    const after = await fetchLedger(h.client, rerun.handle.workflowId);
    expect(after.rerunOf).toEqual({ workflowId: original.handle.workflowId, fromNode: 'echo' });
    expect(after.entries.find((e) => e.nodeId === 'shape')?.tier).toBe('recorded');
    expect(after.entries.find((e) => e.nodeId === 'echo')?.tier).not.toBe('recorded');
    const diff = diffOutputs(await fetchLedger(h.client, original.handle.workflowId), after);
    expect(diff.map((d) => d.change)).toEqual(['same', 'same', 'same', 'same']);
    expect(diff.flatMap((d) => d.differences)).toEqual([]);
  });

  it('shows what changed when a re-run produces different output', async () => {
    const plan = h.compile(
      graph(
        'rerun-effect',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['echo', 'test.echo'],
          ['effect', 'test.effect'],
        ],
        ['start.data -> echo.value', 'echo.value -> effect.value'],
      ),
    );
    const original = await h.start(plan, { data: { n: 1 } });
    await original.handle.result();
    const rerun = await rerunFrom(h.client, {
      workflowId: original.handle.workflowId,
      fromNode: 'effect',
      taskQueue: h.taskQueue,
      idempotencyKey: 'rerun-effect',
    });
    await rerun.handle.result();
    const diff = diffOutputs(
      await fetchLedger(h.client, original.handle.workflowId),
      await fetchLedger(h.client, rerun.handle.workflowId),
    );
    // effect's output names its own run's idempotency key, so it differs; the rest does not.
    expect(diff.find((d) => d.nodeId === 'echo')?.change).toBe('same');
    expect(diff.find((d) => d.nodeId === 'effect')).toMatchObject({
      change: 'changed',
      differences: [{ path: '/key', type: 'CHANGE' }],
    });
  });
});
