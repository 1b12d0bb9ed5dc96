import type { ApplicationFailure } from '@temporalio/common';
import type { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { settleReviewTask } from '../../store/review-tasks.ts';
import type { RunResult, RunStatus } from '../../temporal/workflows/run-types.ts';
import { decide, runStatus } from '../../temporal/runs.ts';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

async function waitForStatus(
  h: Harness,
  workflowId: string,
  ready: (status: RunStatus) => boolean,
): Promise<RunStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await runStatus(h.client, workflowId).catch(() => undefined);
    if (status && ready(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${workflowId} never reached the expected status`);
}

const node = (result: RunResult, id: string) => result.nodes.find((n) => n.id === id);

describe('interpreter workflow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(inject('services'));
  });
  afterAll(() => h.close());

  it('runs a linear plan, passing each output to the next input', async () => {
    const plan = h.compile(
      graph(
        'linear',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['total', 'transform', { expression: '$sum(items.amount)' }],
          ['echo', 'test.echo', { tag: 'sum' }],
        ],
        ['start.data -> total.value', 'total.value -> echo.value'],
      ),
    );
    const { handle } = await h.start(plan, { data: { items: [{ amount: 3 }, { amount: 4 }] } });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.planHash).toBe(plan.hash);
    expect(result.outputs.total).toEqual({ value: 7 });
    expect(result.outputs.echo).toEqual({ value: { tag: 'sum', value: 7 } });
  });

  it('runs independent branches concurrently and waits for both', async () => {
    const plan = h.compile(
      graph(
        'parallel',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['a', 'test.echo', { delayMs: 1500, tag: 'a' }],
          ['b', 'test.echo', { delayMs: 1500, tag: 'b' }],
          ['both', 'test.collect'],
        ],
        ['start.data -> a.value', 'start.data -> b.value', 'a.value -> both.values', 'b.value -> both.values'],
      ),
    );
    const result = await (await h.start(plan, { data: { n: 1 } })).handle.result();
    const [a, b] = [node(result, 'a'), node(result, 'b')];
    // Overlap, not speed: b started before a ended, and vice versa.
    expect(Date.parse(b?.startedAt ?? '')).toBeLessThan(Date.parse(a?.endedAt ?? ''));
    expect(Date.parse(a?.startedAt ?? '')).toBeLessThan(Date.parse(b?.endedAt ?? ''));
    expect(result.outputs.both).toEqual({
      count: 2,
      values: [
        { tag: 'a', value: { n: 1 } },
        { tag: 'b', value: { n: 1 } },
      ],
    });
  });

  it('takes only the branch a condition chooses, and joins the branches again', async () => {
    const plan = h.compile(
      graph(
        'branch',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['big', 'condition', { test: 'amount > 100' }],
          ['yes', 'test.echo', { tag: 'big' }],
          ['no', 'test.echo', { tag: 'small' }],
          ['join', 'test.echo', { tag: 'joined' }],
        ],
        [
          'start.data -> big.value',
          'big.true -> yes.value',
          'big.false -> no.value',
          'yes.value -> join.value',
          'no.value -> join.value',
        ],
      ),
    );
    const small = await (await h.start(plan, { data: { amount: 5 } })).handle.result();
    expect(node(small, 'yes')?.status).toBe('skipped');
    expect(node(small, 'no')?.status).toBe('completed');
    expect(small.outputs.join).toEqual({ value: { tag: 'joined', value: { tag: 'small', value: { amount: 5 } } } });
    const big = await (await h.start(plan, { data: { amount: 500 } })).handle.result();
    expect(node(big, 'no')?.status).toBe('skipped');
    expect(big.outputs.join?.value).toEqual({ tag: 'joined', value: { tag: 'big', value: { amount: 500 } } });
  });

  it('retries a failing activity with its retry policy', async () => {
    const plan = h.compile(
      graph(
        'retry',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['flaky', 'test.echo', { failAttempts: 2 }],
        ],
        ['start.data -> flaky.value'],
      ),
    );
    const { handle } = await h.start(plan, { data: { ok: true } });
    const result = await handle.result();
    expect(result.outputs.flaky).toEqual({ value: { ok: true } });
    const history = await handle.fetchHistory();
    const started = history.events?.find(
      (event) => event.activityTaskStartedEventAttributes,
    )?.activityTaskStartedEventAttributes;
    expect(started?.attempt).toBe(3);
  });

  it('starts one run for one idempotency key, however often it is started', async () => {
    const plan = h.compile(
      graph(
        'once',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['e', 'test.echo'],
        ],
        ['start.data -> e.value'],
      ),
    );
    const first = await h.start(plan, { data: { n: 1 } }, { key: 'same-key' });
    const second = await h.start(plan, { data: { n: 2 } }, { key: 'same-key' });
    expect(first.started).toBe(true);
    expect(second.started).toBe(false);
    expect(second.handle.workflowId).toBe(first.handle.workflowId);
    await first.handle.result();
    const third = await h.start(plan, { data: { n: 3 } }, { key: 'same-key' });
    expect(third.started).toBe(false);
    const runs = h.client.workflow.list({ query: `WorkflowId = '${first.handle.workflowId}'` });
    let count = 0;
    for await (const _run of runs) count += 1;
    expect(count).toBe(1);
  });

  it('fails the run when a node fails, and compensates completed side effects in reverse', async () => {
    const plan = h.compile(
      graph(
        'saga',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['effect', 'test.effect'],
          ['boom', 'test.fail'],
        ],
        ['start.data -> effect.value', 'effect.key -> boom.value'],
      ),
    );
    const { handle } = await h.start(plan, { data: { invoice: 1 } });
    await expect(handle.result()).rejects.toThrow();
    const key = `${handle.workflowId}/effect`;
    const effects = await h.db.query('select key from test_effects where key = $1', [key]);
    const compensations = await h.db.query('select key from test_compensations where key = $1', [key]);
    expect(effects.rowCount).toBe(1);
    expect(compensations.rowCount).toBe(1);
  });

  describe('human review', () => {
    const reviewGraph = (config: Record<string, unknown>) =>
      graph(
        'review',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['review', 'human-review', { instructions: 'Check it', timeoutMinutes: 60, onTimeout: 'reject', ...config }],
          ['after', 'test.echo', { tag: 'after' }],
        ],
        ['start.data -> review.value', 'review.value -> after.value'],
      );

    it('passes the approved value on', async () => {
      const { handle } = await h.start(h.compile(reviewGraph({})), { data: { text: 'Dear client' } });
      const waiting = await waitForStatus(h, handle.workflowId, (s) => s.waitingTasks.length === 1);
      expect(waiting.status).toBe('waiting');
      const [taskId = ''] = waiting.waitingTasks;
      const task = await h.db.query<{ state: string; proposed: unknown }>(
        'select state, proposed from review_tasks where id = $1',
        [taskId],
      );
      expect(task.rows[0]).toEqual({ state: 'pending', proposed: { text: 'Dear client' } });
      const settled = await decide(h.client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' });
      expect(settled.state).toBe('approved');
      const result = await handle.result();
      expect(result.outputs.review).toMatchObject({
        decision: 'approved',
        reviewer: 'ana',
        value: { text: 'Dear client' },
      });
      expect(result.outputs.after).toEqual({ value: { tag: 'after', value: { text: 'Dear client' } } });
      const transitions = await h.db.query(
        'select from_state, to_state, by from review_transitions where task_id = $1',
        [taskId],
      );
      expect(transitions.rows).toEqual([{ from_state: 'pending', to_state: 'approved', by: 'ana' }]);
    });

    it('passes an edited value on, and refuses a second decision', async () => {
      const { handle } = await h.start(h.compile(reviewGraph({})), { data: { text: 'Dear client' } });
      const [taskId = ''] = (await waitForStatus(h, handle.workflowId, (s) => s.waitingTasks.length === 1))
        .waitingTasks;
      await expect(
        decide(h.client, handle.workflowId, { taskId: 'nope', decision: 'approved', reviewer: 'ana' }),
      ).rejects.toThrow();
      await decide(h.client, handle.workflowId, {
        taskId,
        decision: 'edited',
        reviewer: 'ana',
        value: { text: 'Dear Ms Lee' },
        note: 'name',
      });
      await expect(
        decide(h.client, handle.workflowId, { taskId, decision: 'rejected', reviewer: 'bob' }),
      ).rejects.toThrow();
      const result = await handle.result();
      expect(result.outputs.review).toMatchObject({
        decision: 'edited',
        reviewer: 'ana',
        value: { text: 'Dear Ms Lee' },
        note: 'name',
      });
      expect(result.outputs.after?.value).toEqual({ tag: 'after', value: { text: 'Dear Ms Lee' } });
    });

    it('stops the branch when rejected', async () => {
      const { handle } = await h.start(h.compile(reviewGraph({})), { data: { text: 'Dear client' } });
      const [taskId = ''] = (await waitForStatus(h, handle.workflowId, (s) => s.waitingTasks.length === 1))
        .waitingTasks;
      await decide(h.client, handle.workflowId, { taskId, decision: 'rejected', reviewer: 'ana', note: 'wrong tone' });
      const result = await handle.result();
      expect(result.outputs.review).toMatchObject({ decision: 'rejected', reviewer: 'ana' });
      expect(node(result, 'after')?.status).toBe('skipped');
    });

    it('escalates when nobody decides in time, then expires', async () => {
      // Timers under a second fire after about a second on the dev server (SERVICES.md).
      const graphConfig = { timeoutMinutes: 0.02, onTimeout: 'escalate', escalateTo: 'owner', escalationMinutes: 0.02 };
      const { handle } = await h.start(h.compile(reviewGraph(graphConfig)), { data: { text: 'late' } });
      const result = await handle.result();
      expect(result.outputs.review).toMatchObject({ decision: 'expired', reviewer: 'system:timeout' });
      expect(node(result, 'after')?.status).toBe('skipped');
      const task = await h.db.query<{ state: string; escalated_to: string }>(
        'select state, escalated_to from review_tasks where workflow_id = $1',
        [handle.workflowId],
      );
      expect(task.rows[0]).toEqual({ state: 'expired', escalated_to: 'owner' });
    });

    it('fails the review node with the reasons when its timeout cannot be settled', async () => {
      const { handle } = await h.start(h.compile(reviewGraph({ timeoutMinutes: 0.05, onTimeout: 'approve' })), {
        data: { text: 'late' },
      });
      const [taskId = ''] = (await waitForStatus(h, handle.workflowId, (s) => s.waitingTasks.length === 1))
        .waitingTasks;
      // Decided behind the run's back, so neither "approved" nor "expired" can settle it at the timeout.
      await settleReviewTask(h.db, { taskId, state: 'rejected', reviewer: 'elsewhere' });
      // Before the fix the workflow task failed on `undefined.state` and retried for ever: bound the wait.
      const outcome = await Promise.race([
        handle.result().then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
        new Promise<{ stuck: RunStatus | undefined }>((resolve) =>
          setTimeout(() => void runStatus(h.client, handle.workflowId).then((stuck) => resolve({ stuck })), 45_000),
        ),
      ]);
      expect(outcome).toHaveProperty('error');
      const failure = (outcome as { error: WorkflowFailedError }).error.cause as ApplicationFailure;
      expect(failure.message).toBe(
        `node review failed: review task ${taskId} could not be settled after its timeout ` +
          `(approved: review task ${taskId} is already rejected; expired: review task ${taskId} is already rejected)`,
      );
      const [result] = failure.details as [RunResult];
      expect(node(result, 'review')).toMatchObject({ status: 'failed' });
      expect((await runStatus(h.client, handle.workflowId)).waitingTasks).toEqual([]);
    });

    it('hands a node the human-supplied output when the node asks for a person', async () => {
      const plan = h.compile(
        graph(
          'fallback',
          [
            ['start', 'trigger', { kind: 'manual' }],
            ['draft', 'test.ask-human'],
            ['after', 'test.echo'],
          ],
          ['start.data -> draft.value', 'draft.text -> after.value'],
        ),
      );
      const { handle } = await h.start(plan, { data: { topic: 'invoice' } });
      const [taskId = ''] = (await waitForStatus(h, handle.workflowId, (s) => s.waitingTasks.length === 1))
        .waitingTasks;
      const task = await h.db.query<{ kind: string; reason: string }>(
        'select kind, reason from review_tasks where id = $1',
        [taskId],
      );
      expect(task.rows[0]).toEqual({ kind: 'draft', reason: 'confidence 0.2 < 0.7' });
      // An edit that does not fit the node's output schema is refused, and the task stays open.
      await expect(
        decide(h.client, handle.workflowId, { taskId, decision: 'edited', reviewer: 'ana', value: { text: '' } }),
      ).rejects.toThrow(/text/);
      await decide(h.client, handle.workflowId, {
        taskId,
        decision: 'edited',
        reviewer: 'ana',
        value: { text: 'Written by Ana' },
      });
      const result = await handle.result();
      expect(result.outputs.draft).toEqual({ text: 'Written by Ana' });
      expect(result.outputs.after).toEqual({ value: 'Written by Ana' });
      expect(node(result, 'draft')?.tier).toBe('human');
    });
  });
});
