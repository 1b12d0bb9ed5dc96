import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backgroundScheduleId } from '../../control/policy/background-schedule.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';
import { graph } from '../support/graph-builder.ts';
import { createPublished, runFinished, startApiApp, type ApiApp } from '../support/api-app.ts';
import { until } from '../support/until.ts';
import type { Harness } from '../support/interpreter-harness.ts';

interface ErrorReply {
  errors: { pointer: string; message: string }[];
}

interface Report {
  id: string;
  kind: string;
  status: string;
  error?: string;
  summary?: Record<string, unknown>;
  nodes?: { nodeId: string; runs: number; reused: number; compared: number; changed: number }[];
  runs?: { pastRunId: string; canaryRunId?: string; status: string }[];
  promotion?: Record<string, unknown>;
}

interface RunSummary {
  runId: string;
  workflowId: string;
  workflowName: string;
  canary?: true;
}

const amounts = [50, 150, 250, 80];
const threshold = (limit: number) => `amount > ${limit} ? "high" : "low"`;

// Canaries, run policies and the policy advisor through the API: past runs of a grading flow
// (whose last node has a side effect) replayed through a changed threshold; the report's counts,
// its promotion (a new version, its schedules in step) and its refusals; the advisor's proposal
// after three unchanged approvals, canaried and dismissed.
describe('control plane canaries, run policies and advisor through the API', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let grading = '';
  let reviewing = '';
  const pastRuns: string[] = [];
  const reports: Record<'first' | 'second', Report> = {} as Record<'first' | 'second', Report>;

  let call: ApiApp['call'];
  const enc = encodeURIComponent;
  const pointer = (response: { json: <T>() => T }) => response.json<ErrorReply>().errors[0]?.pointer;

  async function listRuns(query: string, count: number): Promise<RunSummary[]> {
    return until(`${count} runs for ${query}`, async () => {
      const { runs } = (await call('GET', `/api/runs?limit=100&${query}`)).json<{ runs: RunSummary[] }>();
      return runs.length >= count ? runs : undefined;
    });
  }

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-control-canary test' });
    ({ h, call } = server);
    grading = await createPublished(
      call,
      'Grade orders',
      graph(
        'Grade orders',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['grade', 'transform', { expression: threshold(100) }],
          ['record', 'test.effect'],
        ],
        ['start.data -> grade.value', 'grade.value -> record.value'],
      ),
    );
    for (const [index, amount] of amounts.entries()) {
      const started = await call('POST', `/api/workflows/${grading}/runs`, {
        input: { data: { amount } },
        idempotencyKey: `order-${index}-${randomUUID()}`,
      });
      pastRuns.push(started.json<{ runId: string }>().runId);
    }
    for (const runId of pastRuns) expect(await runFinished(call, runId)).toBe('completed');
    await listRuns(`workflowId=${grading}`, amounts.length);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('replays past runs through a changed threshold, reusing the side effect, and counts exactly', async () => {
    const request = {
      candidate: { kind: 'node-config', workflowId: grading, nodeId: 'grade', config: { expression: threshold(200) } },
      slice: {},
      createdBy: 'lena',
    };
    const created = await call('POST', '/api/canaries', request);
    expect(created.statusCode, created.body).toBe(201);
    reports.first = created.json<Report>();
    expect(reports.first).toMatchObject({
      kind: 'workflow',
      status: 'completed',
      summary: {
        label: 'v1+grade',
        baseVersion: 1,
        runs: 4,
        canaryFailed: 0,
        changedOutputs: 1,
        sideEffectsReused: 4,
        askedHumanBefore: 0,
        asksHumanNow: 0,
      },
    });
    const byNode = Object.fromEntries((reports.first.nodes ?? []).map((n) => [n.nodeId, n]));
    expect(byNode.grade).toMatchObject({ runs: 4, reused: 0, compared: 4, changed: 1 });
    expect(byNode.record).toMatchObject({ runs: 4, reused: 4, changed: 0 });

    // The side effect ran once per past run and never for the canary (asserted on the database).
    const attempts = async (pattern: string) =>
      (await h.db.query<{ n: number }>('select count(*)::int as n from test_attempts where key like $1', [pattern]))
        .rows[0]?.n;
    expect(await attempts(`run:${grading}:%/record`)).toBe(4);
    expect(await attempts(`canary:${reports.first.id}:%`)).toBe(0);

    const shown = (await call('GET', `/api/canaries/${reports.first.id}`)).json<Report>();
    expect(shown.runs?.map((r) => r.pastRunId).sort()).toEqual([...pastRuns].sort());
    const listed = (await call('GET', `/api/canaries?workflowId=${grading}`)).json<{ reports: Report[] }>();
    expect(listed.reports.map((r) => r.id)).toContain(reports.first.id);
    expect(listed.reports[0]?.runs).toBeUndefined();

    // Canary runs stay out of run lists unless asked for; their ledger says canary.
    const canaryRunId = shown.runs![0]!.canaryRunId!;
    const ledgerReply = await call('GET', `/api/runs/${enc(canaryRunId)}/ledger`);
    expect(ledgerReply.statusCode, ledgerReply.body).toBe(200);
    const ledger = ledgerReply.json<{ mode: string }>();
    expect(ledger.mode).toBe('canary');
    const withCanaries = await listRuns(`workflowId=${grading}&includeCanaries=true`, 8);
    expect(
      withCanaries
        .filter((r) => r.canary)
        .map((r) => r.runId)
        .sort(),
    ).toEqual(shown.runs!.map((r) => r.canaryRunId).sort());
    expect(withCanaries.every((r) => r.workflowId === grading)).toBe(true);
    const live = (await call('GET', `/api/runs?limit=100&workflowId=${grading}`)).json<{ runs: RunSummary[] }>();
    expect(live.runs.map((r) => r.runId).sort()).toEqual([...pastRuns].sort());
    const everything = (await call('GET', '/api/runs?limit=100')).json<{ runs: RunSummary[] }>();
    expect(everything.runs.filter((r) => r.runId.startsWith('canary:') || r.canary)).toEqual([]);
  }, 120_000);

  it('refuses canary requests naming what is wrong', async () => {
    const candidate = { kind: 'node-config', workflowId: grading, nodeId: 'grade', config: {} };
    const cases: { body: unknown; status: number; pointer: string }[] = [
      { body: { candidate }, status: 400, pointer: '/slice' },
      {
        body: { candidate: { ...candidate, workflowId: `nope-${randomUUID()}` }, slice: {} },
        status: 404,
        pointer: '/candidate/workflowId',
      },
      {
        body: { candidate: { kind: 'version', workflowId: grading, version: 9 }, slice: {} },
        status: 404,
        pointer: '/candidate/version',
      },
      { body: { candidate: { ...candidate, nodeId: 'nope' }, slice: {} }, status: 400, pointer: '/candidate/nodeId' },
      {
        body: { candidate: { kind: 'rule-set', ruleSetVersion: 999999 }, slice: {} },
        status: 404,
        pointer: '/candidate/ruleSetVersion',
      },
      { body: { candidate, slice: { limit: 0 } }, status: 400, pointer: '/slice/limit' },
    ];
    for (const c of cases) {
      const response = await call('POST', '/api/canaries', c.body);
      expect({ status: response.statusCode, pointer: pointer(response) }).toEqual({
        status: c.status,
        pointer: c.pointer,
      });
    }
    const oneOf = await call('POST', '/api/canaries', { candidate: { kind: 'guess' }, slice: {} });
    expect(oneOf.statusCode).toBe(400);
    expect(pointer(oneOf)).toMatch(/^\/candidate/);
    const missing = await call('GET', '/api/canaries/canary-nope');
    expect([missing.statusCode, pointer(missing)]).toEqual([404, '/params/id']);
    // No body at all is an empty one (every field of it is optional).
    const promoteMissing = await call('POST', '/api/canaries/canary-nope/promote');
    expect([promoteMissing.statusCode, pointer(promoteMissing)]).toEqual([404, '/params/id']);
  });

  it('sets a run policy, whose background schedule follows a promoted version', async () => {
    expect((await call('GET', `/api/workflows/${grading}/run-policy`)).json()).toEqual({
      workflowId: grading,
      policy: { mode: 'foreground' },
    });
    const bad: { body: unknown; pointer: string }[] = [
      { body: { mode: 'background' }, pointer: '/window' },
      { body: { mode: 'sometimes' }, pointer: '/mode' },
      { body: { mode: 'background', window: { start: '25:00', end: '06:00' } }, pointer: '/window/start' },
    ];
    for (const c of bad) {
      const response = await call('PUT', `/api/workflows/${grading}/run-policy`, c.body);
      expect([response.statusCode, pointer(response)]).toEqual([400, c.pointer]);
    }
    const unknown = await call('GET', `/api/workflows/nope-${randomUUID()}/run-policy`);
    expect([unknown.statusCode, pointer(unknown)]).toEqual([404, '/params/id']);

    const policy = { mode: 'background', window: { start: '22:00', end: '06:00', days: [1, 2, 3, 4, 5] } };
    const set = await call('PUT', `/api/workflows/${grading}/run-policy`, policy);
    expect(set.json()).toEqual({ workflowId: grading, policy, backgroundSchedule: 'created' });
    expect((await call('GET', `/api/workflows/${grading}/run-policy`)).json()).toMatchObject({ policy });

    // A second report on v1, then a failed one (a config that does not compile).
    const second = await call('POST', '/api/canaries', {
      candidate: { kind: 'node-config', workflowId: grading, nodeId: 'grade', config: { expression: threshold(60) } },
      slice: { limit: 2 },
    });
    reports.second = second.json<Report>();
    expect(reports.second).toMatchObject({ status: 'completed', summary: { runs: 2 } });
    const failed = await call('POST', '/api/canaries', {
      candidate: { kind: 'node-config', workflowId: grading, nodeId: 'grade', config: { expression: 42 } },
      slice: {},
    });
    expect(failed.statusCode).toBe(201);
    const failedReport = failed.json<Report>();
    expect(failedReport.status).toBe('failed');
    expect(failedReport.error).toMatch(/does not compile/);
    const refused = await call('POST', `/api/canaries/${failedReport.id}/promote`, { by: 'lena' });
    expect([refused.statusCode, pointer(refused)]).toEqual([409, '/params/id']);

    const promoted = await call('POST', `/api/canaries/${reports.first.id}/promote`, { by: 'lena' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({
      status: 'promoted',
      promotedBy: 'lena',
      promotion: { workflowId: grading, version: 2 },
    });
    const v2 = (await call('GET', `/api/workflows/${grading}/versions/2`)).json<{
      graph: { nodes: { id: string; config: unknown }[] };
      publishedBy: string;
    }>();
    expect(v2.graph.nodes.find((n) => n.id === 'grade')?.config).toEqual({ expression: threshold(200) });
    expect(v2.publishedBy).toBe(`lena (canary ${reports.first.id})`);
    const schedule = await h.client.schedule.getHandle(backgroundScheduleId(grading)).describe();
    const action = schedule.action as { args?: RunInput[] };
    expect(action.args?.[0]?.workflow).toEqual({ id: grading, version: 2 });

    const again = await call('POST', `/api/canaries/${reports.first.id}/promote`, {});
    expect([again.statusCode, pointer(again)]).toEqual([409, '/params/id']);
    const stale = await call('POST', `/api/canaries/${reports.second.id}/promote`, {});
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ message: string }>().message).toMatch(/changed since this report/);

    const foreground = await call('PUT', `/api/workflows/${grading}/run-policy`, { mode: 'foreground' });
    expect(foreground.json()).toMatchObject({ backgroundSchedule: 'deleted' });
  }, 120_000);

  it('proposes automation after three unchanged approvals, canaries the proposal and dismisses it', async () => {
    reviewing = await createPublished(
      call,
      'Approve notes',
      graph(
        'Approve notes',
        [
          ['start', 'trigger', { kind: 'manual' }],
          [
            'review',
            'human-review',
            {
              instructions: 'Check the note',
              timeoutMinutes: 60,
              onTimeout: 'reject',
              valueSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
            },
          ],
          ['after', 'test.echo', { tag: 'after' }],
        ],
        ['start.data -> review.value', 'review.value -> after.value'],
      ),
    );
    for (const text of ['first note', 'second note', 'third note']) {
      const { runId } = (await call('POST', `/api/workflows/${reviewing}/runs`, { input: { data: { text } } })).json<{
        runId: string;
      }>();
      const taskId = await until('a review task', async () => {
        const { tasks } = (await call('GET', `/api/reviews?state=pending&workflowId=${enc(runId)}`)).json<{
          tasks: { id: string }[];
        }>();
        return tasks[0]?.id;
      });
      const decided = await call('POST', `/api/reviews/${enc(taskId)}/decision`, { decision: 'approved' });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(await runFinished(call, runId)).toBe('completed');
    }
    await listRuns(`workflowId=${reviewing}`, 3);

    const metrics = await call('GET', `/api/metrics/nodes?workflowId=${reviewing}`);
    expect(metrics.statusCode, metrics.body).toBe(200);
    const review = metrics
      .json<{ metrics: { nodeId: string; runs: number; decisions: { decision: string; unchanged: boolean }[] }[] }>()
      .metrics.find((m) => m.nodeId === 'review');
    expect(review?.runs).toBe(3);
    expect(review?.decisions.map((d) => [d.decision, d.unchanged])).toEqual([
      ['approved', true],
      ['approved', true],
      ['approved', true],
    ]);

    const proposed = await call('POST', `/api/workflows/${reviewing}/proposals`);
    expect(proposed.statusCode, proposed.body).toBe(200);
    const [proposal] = proposed.json<{ proposals: { id: string; kind: string; nodeId: string; status: string }[] }>()
      .proposals;
    expect(proposal).toMatchObject({ kind: 'allow-automation', nodeId: 'review', status: 'open' });

    const canaried = await call('POST', `/api/proposals/${proposal!.id}/canary`, { createdBy: 'lena' });
    expect(canaried.statusCode, canaried.body).toBe(201);
    const report = canaried.json<Report>();
    expect(report).toMatchObject({ status: 'completed', summary: { runs: 3, canaryFailed: 0 } });
    const listed = (await call('GET', `/api/proposals?workflowId=${reviewing}&status=canaried`)).json<{
      proposals: { id: string; reportId?: string }[];
    }>();
    expect(listed.proposals).toEqual([expect.objectContaining({ id: proposal!.id, reportId: report.id })]);

    const dismissed = await call('POST', `/api/proposals/${proposal!.id}/dismiss`);
    expect(dismissed.json()).toMatchObject({ proposal: { id: proposal!.id, status: 'dismissed' } });
    const twice = await call('POST', `/api/proposals/${proposal!.id}/dismiss`);
    expect([twice.statusCode, pointer(twice)]).toEqual([409, '/params/id']);
    const afterDismiss = await call('POST', `/api/proposals/${proposal!.id}/canary`, {});
    expect([afterDismiss.statusCode, pointer(afterDismiss)]).toEqual([409, '/params/id']);

    const missing = [
      await call('POST', '/api/proposals/proposal-nope/dismiss'),
      await call('POST', '/api/proposals/proposal-nope/canary', {}),
      await call('POST', `/api/workflows/nope-${randomUUID()}/proposals`, {}),
    ];
    expect(missing.map((r) => [r.statusCode, pointer(r)])).toEqual([
      [404, '/params/id'],
      [404, '/params/id'],
      [404, '/params/id'],
    ]);
    const noWorkflow = await call('GET', '/api/metrics/nodes');
    expect([noWorkflow.statusCode, pointer(noWorkflow)]).toEqual([400, '/query/workflowId']);
    const unknown = await call('GET', `/api/metrics/nodes?workflowId=nope-${randomUUID()}`);
    expect([unknown.statusCode, pointer(unknown)]).toEqual([404, '/query/workflowId']);
    const badBody = await call('POST', `/api/workflows/${reviewing}/proposals`, { streak: 0 });
    expect([badBody.statusCode, pointer(badBody)]).toEqual([400, '/streak']);
  }, 180_000);
});
