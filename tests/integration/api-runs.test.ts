import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPublished, runFinished, startApiApp, type ApiApp } from '../support/api-app.ts';
import { echoTotalGraph, reviewTextGraph } from '../support/sample-graphs.ts';
import { until } from '../support/until.ts';
import type { Harness } from '../support/interpreter-harness.ts';
import { TypedSearchAttributes } from '@temporalio/common';
import { searchKeys } from '../../temporal/runs.ts';

interface RunReply {
  runId: string;
  started: boolean;
  version: number;
  planHash: string;
}

describe('run and review routes', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let echoId = '';
  let reviewId = '';

  let call: ApiApp['call'];
  const enc = encodeURIComponent;

  async function pendingTask(runId: string): Promise<string> {
    return until(`a review task of ${runId}`, async () => {
      const { tasks } = (await call('GET', `/api/reviews?state=pending&workflowId=${enc(runId)}`)).json<{
        tasks: { id: string }[];
      }>();
      return tasks[0]?.id;
    });
  }

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-runs test' });
    ({ h, call } = server);
    echoId = await createPublished(call, 'Echo twice', echoTotalGraph('Echo twice'));
    reviewId = await createPublished(call, 'Review text', reviewTextGraph('Review text'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts a run of the latest version, once per idempotency key', async () => {
    const body = { input: { data: { items: [{ amount: 2 }, { amount: 5 }] } }, idempotencyKey: 'same-key-1' };
    const first = await call('POST', `/api/workflows/${echoId}/runs`, body);
    expect(first.statusCode).toBe(202);
    const run = first.json<RunReply>();
    expect(run).toMatchObject({ started: true, version: 1 });
    const again = (await call('POST', `/api/workflows/${echoId}/runs`, body)).json<RunReply>();
    expect(again).toMatchObject({ runId: run.runId, started: false });

    expect(await runFinished(call, run.runId)).toBe('completed');
    const detail = (await call('GET', `/api/runs/${enc(run.runId)}`)).json<{
      run: { workflowName: string; version: number; durationMs: number; costUsd: number };
      status: { status: string; nodes: { id: string; status: string }[] };
    }>();
    expect(detail.run).toMatchObject({ workflowName: 'Echo twice', version: 1, costUsd: 0 });
    expect(detail.run.durationMs).toBeGreaterThanOrEqual(0);
    expect(detail.status.nodes.map((n) => [n.id, n.status])).toEqual([
      ['start', 'completed'],
      ['total', 'completed'],
      ['echo', 'completed'],
    ]);

    const ledger = (await call('GET', `/api/runs/${enc(run.runId)}/ledger`)).json<{
      entries: { nodeId: string; output?: unknown }[];
    }>();
    expect(ledger.entries.find((e) => e.nodeId === 'echo')?.output).toEqual({ value: { tag: 'sum', value: 7 } });

    const listed = await until('the run to be listed', async () => {
      const { runs } = (await call('GET', `/api/runs?workflowId=${echoId}&status=completed&limit=5`)).json<{
        runs: { runId: string }[];
      }>();
      return runs.some((r) => r.runId === run.runId) ? runs : undefined;
    });
    expect(listed.map((r) => r.runId)).toContain(run.runId);
  });

  it('pages through runs with a page token', async () => {
    for (const n of [1, 2, 3]) {
      await call('POST', `/api/workflows/${echoId}/runs`, { input: { data: { items: [{ amount: n }] } } });
    }
    // Temporal's visibility store catches up with new runs a moment after they start.
    await until('the runs to be visible', async () => {
      const { count } = await h.client.workflow.count(`TrellisWorkflowId = '${echoId}'`);
      return count >= 4 ? count : undefined;
    });
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (
        await call('GET', `/api/runs?workflowId=${echoId}&limit=2${token ? `&pageToken=${token}` : ''}`)
      ).json<{ runs: { runId: string }[]; nextPageToken?: string }>();
      for (const run of page.runs) seen.add(run.runId);
      token = page.nextPageToken;
      pages += 1;
    } while (token && pages < 10);
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('starts a named version and refuses one that does not exist', async () => {
    const ok = await call('POST', `/api/workflows/${echoId}/runs`, { input: { data: { items: [] } }, version: 1 });
    expect(ok.statusCode).toBe(202);
    const missing = await call('POST', `/api/workflows/${echoId}/runs`, { input: { data: {} }, version: 99 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ errors: [{ pointer: '/version' }] });
  });

  it('re-runs from a node, reusing what came before, and diffs the two runs', async () => {
    const { runId } = (
      await call('POST', `/api/workflows/${echoId}/runs`, { input: { data: { items: [{ amount: 1 }] } } })
    ).json<RunReply>();
    await runFinished(call, runId);
    const rerun = await call('POST', `/api/runs/${enc(runId)}/rerun`, { fromNode: 'echo' });
    expect(rerun.statusCode).toBe(202);
    const again = rerun.json<{ runId: string; reused: string[] }>();
    expect(again.reused).toEqual(['total']);
    expect(await runFinished(call, again.runId)).toBe('completed');
    const diff = (await call('GET', `/api/runs/${enc(again.runId)}/diff?against=${enc(runId)}`)).json<{
      diff: { nodeId: string; change: string }[];
    }>().diff;
    expect(diff.find((d) => d.nodeId === 'echo')?.change).toBe('same');
    expect(diff.find((d) => d.nodeId === 'total')?.change).toBe('same');

    const unknownNode = await call('POST', `/api/runs/${enc(runId)}/rerun`, { fromNode: 'nope' });
    expect(unknownNode.statusCode).toBe(400);
    expect(unknownNode.json()).toMatchObject({ errors: [{ pointer: '/fromNode' }] });
  });

  it('replays a run against the current workflow code', async () => {
    const { runId } = (
      await call('POST', `/api/workflows/${echoId}/runs`, { input: { data: { items: [{ amount: 9 }] } } })
    ).json<RunReply>();
    await runFinished(call, runId);
    const replay = await call('POST', `/api/runs/${enc(runId)}/replay`);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ ok: true });
  }, 120_000);

  it('approves, edits and rejects review tasks through the API, and refuses a second decision', async () => {
    const start = async (text: string) =>
      (await call('POST', `/api/workflows/${reviewId}/runs`, { input: { data: { text } } })).json<RunReply>().runId;
    const [approveRun, editRun, rejectRun] = await Promise.all([start('approve me'), start('edit me'), start('no')]);

    const approveTask = await pendingTask(approveRun);
    const task = (await call('GET', `/api/reviews/${enc(approveTask)}`)).json<{ task: { proposed: unknown } }>();
    expect(task.task.proposed).toEqual({ text: 'approve me' });
    const approved = await call('POST', `/api/reviews/${enc(approveTask)}/decision`, {
      decision: 'approved',
      reviewer: 'ana',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      task: { state: 'approved', reviewer: 'ana', value: { text: 'approve me' } },
    });
    const twice = await call('POST', `/api/reviews/${enc(approveTask)}/decision`, { decision: 'rejected' });
    expect(twice.statusCode).toBe(409);

    const editTask = await pendingTask(editRun);
    const invalid = await call('POST', `/api/reviews/${enc(editTask)}/decision`, {
      decision: 'edited',
      value: { text: 42 },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: { pointer: string }[] }>().errors).toContainEqual(
      expect.objectContaining({ pointer: '/value/text' }),
    );
    const missingValue = await call('POST', `/api/reviews/${enc(editTask)}/decision`, { decision: 'edited' });
    expect(missingValue.statusCode).toBe(400);
    const edited = await call('POST', `/api/reviews/${enc(editTask)}/decision`, {
      decision: 'edited',
      value: { text: 'better' },
      note: 'tone',
    });
    expect(edited.json()).toMatchObject({ task: { state: 'edited', reviewer: 'operator', value: { text: 'better' } } });

    const rejectTask = await pendingTask(rejectRun);
    const rejected = await call('POST', `/api/reviews/${enc(rejectTask)}/decision`, { decision: 'rejected' });
    expect(rejected.json()).toMatchObject({ task: { state: 'rejected' } });

    expect(await runFinished(call, approveRun)).toBe('completed');
    expect(await runFinished(call, editRun)).toBe('completed');
    const editLedger = (await call('GET', `/api/runs/${enc(editRun)}/ledger`)).json<{
      entries: { nodeId: string; output?: unknown; approvals: unknown[] }[];
    }>();
    expect(editLedger.entries.find((e) => e.nodeId === 'after')?.output).toEqual({
      value: { tag: 'after', value: { text: 'better' } },
    });

    // Metrics: 3 decided reviews of this workflow, 2 of them edited or rejected.
    const metrics = (await call('GET', `/api/metrics?workflowId=${reviewId}`)).json<{
      weeks: {
        workflowId: string;
        reviews: number;
        editedOrRejected: number;
        falsePositiveRate: number;
        meanTimeToCorrectionMs: number;
        actions: number;
      }[];
    }>();
    const [week] = metrics.weeks;
    expect(metrics.weeks).toHaveLength(1);
    expect(week).toMatchObject({ workflowId: reviewId, reviews: 3, editedOrRejected: 2 });
    expect(week?.falsePositiveRate).toBeCloseTo(2 / 3);
    expect(week?.meanTimeToCorrectionMs).toBeGreaterThan(0);
    expect(week?.actions).toBeGreaterThanOrEqual(3);
  });

  it('names the runs whose history cannot be read instead of counting them as free', async () => {
    // A run of the interpreter whose history holds no plan (nobody polls its queue): its ledger cannot be built.
    const workflowId = `unreadable-${Date.now().toString(36)}`;
    const runId = `run:${workflowId}:broken`;
    const handle = await h.client.workflow.start('interpreter', {
      taskQueue: `nobody-polls-${workflowId}`,
      workflowId: runId,
      args: [{ not: 'a run input' }],
      typedSearchAttributes: new TypedSearchAttributes([{ key: searchKeys.workflow, value: workflowId }]),
    });
    try {
      const metrics = await until('the run in the visibility store', async () => {
        const reply = (await call('GET', `/api/metrics?workflowId=${workflowId}`)).json<{
          runsRead: number;
          unreadable: { count: number; runs: { runId: string; error: string }[] };
        }>();
        return reply.runsRead > 0 ? reply : undefined;
      });
      expect(metrics.unreadable).toEqual({
        count: 1,
        runs: [{ runId, error: `${runId} is not a Trellis run (no plan in its input)` }],
      });
    } finally {
      await handle.terminate('test over');
    }
  });

  it('cancels a waiting run', async () => {
    const { runId } = (
      await call('POST', `/api/workflows/${reviewId}/runs`, { input: { data: { text: 'cancel me' } } })
    ).json<RunReply>();
    await pendingTask(runId);
    const live = (await call('GET', `/api/runs/${enc(runId)}`)).json<{
      status: { status: string; waitingTasks: string[] };
    }>();
    expect(live.status).toMatchObject({ status: 'waiting' });
    expect((await call('POST', `/api/runs/${enc(runId)}/cancel`)).statusCode).toBe(202);
    expect(await runFinished(call, runId)).toBe('cancelled');
  });

  it('answers 404 for runs that do not exist', async () => {
    for (const url of ['/api/runs/run%3Anope%3Anope', '/api/runs/run%3Anope/ledger']) {
      const response = await call('GET', url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ errors: [{ pointer: '/params/runId' }] });
    }
  });
});
