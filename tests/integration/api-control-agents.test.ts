import { execFile } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startControlPlane, sweepCorrections } from '../../server/lib/control-upkeep.ts';
import { recordEvent } from '../../store/events.ts';
import { decide } from '../../temporal/runs.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { realServices, type Harness } from '../support/interpreter-harness.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');

interface ErrorReply {
  errors: { pointer: string; message: string }[];
}

interface Agent {
  id: string;
  role: string;
  budget: { perActionUsd: number; perMonthUsd: number; latencyMs: number; onOverBudget: string };
  spend: { month: string; costUsd: number; calls: number; remainingUsd: number; overBudget: boolean };
}

// The agent registry, learning from corrections and the CLI, against a server with real memory
// (its own Weaviate collection): seeding at start, budgets edited over HTTP, every edit or
// rejection of a review kept as a correction (at once, or by the sweep), and the control-plane
// commands of the CLI against the listening server.
describe('control plane agents, corrections and CLI through the API', () => {
  const stack = inject('services');
  let h: Harness;
  let app: FastifyInstance;
  let memory: Awaited<ReturnType<typeof realServices>>;
  let server: ApiApp | undefined;
  let token: string;
  let base: string;
  let dataDir = '';
  let reviewing = '';
  let original: Agent | undefined;

  let call: ApiApp['call'];
  const enc = encodeURIComponent;
  const pointer = (response: { json: <T>() => T }) => response.json<ErrorReply>().errors[0]?.pointer;

  async function trellis(args: string[]): Promise<string> {
    const result = await run(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRELLIS_DATA_DIR: dataDir,
        TRELLIS_URL: base,
        TRELLIS_API_TOKEN: token,
        USER: 'lena',
      },
      maxBuffer: 10 * 1024 * 1024,
    });
    return result.stdout;
  }
  const json = async <T>(args: string[]) => JSON.parse(await trellis([...args, '--json'])) as T;
  const fails = (args: string[]) =>
    trellis(args).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  async function waitingTask(runId: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const { tasks } = (await call('GET', `/api/reviews?state=pending&workflowId=${enc(runId)}`)).json<{
        tasks: { id: string }[];
      }>();
      if (tasks[0]) return tasks[0].id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${runId} asked nobody`);
  }

  async function startReview(text: string): Promise<{ runId: string; taskId: string }> {
    const started = await call('POST', `/api/workflows/${reviewing}/runs`, { input: { data: { text } } });
    const { runId } = started.json<{ runId: string }>();
    return { runId, taskId: await waitingTask(runId) };
  }

  const corrections = async (taskId: string) =>
    (
      await h.db.query<{ memory_id: string; kind: string; decision: string }>(
        'select memory_id, kind, decision from control_corrections where task_id = $1',
        [taskId],
      )
    ).rows;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-api-'));
    server = await startApiApp(stack, {
      label: 'api-control-agents test',
      listen: true,
      dataDir,
      parts: async ({ db }) => {
        memory = await realServices(stack, db);
        return { memory: memory.memory, embedder: memory.embedder };
      },
    });
    ({ h, app, base, token, call } = server);
    const g = graph(
      'Check wording',
      [
        ['start', 'trigger', { kind: 'manual' }],
        [
          'review',
          'human-review',
          {
            instructions: 'Check the wording',
            timeoutMinutes: 60,
            onTimeout: 'reject',
            valueSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
          },
        ],
        ['after', 'test.echo', { tag: 'after' }],
      ],
      ['start.data -> review.value', 'review.value -> after.value'],
    );
    reviewing = (await call('POST', '/api/workflows', { name: 'Check wording', graph: g })).json<{
      workflow: { id: string };
    }>().workflow.id;
    expect((await call('POST', `/api/workflows/${reviewing}/publish`, {})).statusCode).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (original) await call('PATCH', `/api/agents/${original.id}`, { role: original.role, budget: original.budget });
    await server?.close();
    await memory?.close();
  });

  it('seeds the agent registry at start and lists each agent with its spend', async () => {
    const started = await startControlPlane(app);
    started.stop();
    expect(started.agentsAdded).toBeGreaterThanOrEqual(0);
    expect(started.correctionsStored).toBeGreaterThanOrEqual(0);
    const { agents } = (await call('GET', '/api/agents')).json<{ agents: Agent[] }>();
    const ids = agents.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['extract@1', 'generate@1', 'transform@1', 'human-review@1']));
    const month = new Date().toISOString().slice(0, 7);
    for (const agent of agents) expect(agent.spend).toMatchObject({ month, overBudget: expect.any(Boolean) });
    expect((await startControlPlane(app).then((again) => (again.stop(), again))).agentsAdded).toBe(0);
  });

  it('changes an agent’s budget and role, and refuses what does not fit naming the field', async () => {
    const { agents } = (await call('GET', '/api/agents')).json<{ agents: Agent[] }>();
    original = agents.find((a) => a.id === 'transform@1');
    expect(original).toBeDefined();
    const changed = await call('PATCH', '/api/agents/transform@1', {
      budget: { perMonthUsd: 3 },
      role: 'Reshapes data between steps (edited by the API test).',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      agent: {
        id: 'transform@1',
        role: 'Reshapes data between steps (edited by the API test).',
        budget: { ...original!.budget, perMonthUsd: 3 },
        spend: { remainingUsd: expect.any(Number) },
      },
    });
    const cases: { url: string; body: unknown; status: number; pointer: string }[] = [
      { url: '/api/agents/nope@1', body: { enabled: false }, status: 404, pointer: '/params/id' },
      { url: '/api/agents/NOPE', body: { enabled: false }, status: 400, pointer: '/params/id' },
      {
        url: '/api/agents/transform@1',
        body: { budget: { perMonthUsd: -1 } },
        status: 400,
        pointer: '/budget/perMonthUsd',
      },
      {
        url: '/api/agents/transform@1',
        body: { budget: { onOverBudget: 'panic' } },
        status: 400,
        pointer: '/budget/onOverBudget',
      },
      { url: '/api/agents/transform@1', body: { tier: 'provider' }, status: 400, pointer: '/tier' },
    ];
    for (const c of cases) {
      const response = await call('PATCH', c.url, c.body);
      expect({ status: response.statusCode, pointer: pointer(response) }).toEqual({
        status: c.status,
        pointer: c.pointer,
      });
    }
  });

  it('keeps every edit or rejection decided through the API as a correction in memory', async () => {
    const edited = await startReview('Dear Sir, the the report is attached.');
    const reply = await call('POST', `/api/reviews/${enc(edited.taskId)}/decision`, {
      decision: 'edited',
      value: { text: 'Dear Ms Olsen, the report is attached.' },
      reviewer: 'lena',
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const correction = reply.json<{ correction?: { memoryId: string; kind: string } }>().correction;
    expect(correction).toMatchObject({ kind: 'output' });
    expect(await corrections(edited.taskId)).toEqual([
      { memory_id: correction!.memoryId, kind: 'output', decision: 'edited' },
    ]);
    const record = await memory.memory.get(correction!.memoryId);
    expect(record).toMatchObject({
      kind: 'correction',
      source: { uri: `trellis://review/${edited.taskId}` },
      provenance: { workflowId: edited.runId, nodeId: 'review', reviewer: 'lena' },
    });
    expect(record?.text).toContain('Dear Ms Olsen, the report is attached.');

    // An approval teaches nothing.
    const approved = await startReview('All good.');
    const ok = await call('POST', `/api/reviews/${enc(approved.taskId)}/decision`, { decision: 'approved' });
    expect(ok.json<{ correction?: unknown }>().correction).toBeUndefined();
    expect(await corrections(approved.taskId)).toEqual([]);

    // A decision sent to the run directly (not through the API) is picked up by the sweep.
    const direct = await startReview('Sent past the API.');
    await decide(h.client, direct.runId, { taskId: direct.taskId, decision: 'rejected', reviewer: 'lena' });
    expect(await corrections(direct.taskId)).toEqual([]);
    expect(await sweepCorrections(app)).toBeGreaterThanOrEqual(1);
    expect(await corrections(direct.taskId)).toEqual([
      { memory_id: expect.any(String), kind: 'output', decision: 'rejected' },
    ]);
  }, 60_000);

  it('drives the control plane from the CLI', async () => {
    const agents = await json<Agent[]>(['agents', 'list']);
    expect(agents.map((a) => a.id)).toContain('extract@1');
    const table = await trellis(['agents', 'list']);
    expect(table).toMatch(/^agent\s+tier\s+on\s+usd\/action/);
    expect(table).toContain('transform@1');

    const live = await json<{ version: number; rules: unknown[]; default: unknown }>(['rules', 'show']);
    const file = path.join(dataDir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({ rules: live.rules, default: live.default, note: 'the live rules again (CLI test)' }),
    );
    const draft = await json<{ version: number; status: string; createdBy: string }>(['rules', 'save', file]);
    expect(draft).toMatchObject({ status: 'draft', createdBy: 'lena' });
    expect(draft.version).toBeGreaterThan(live.version);
    const sets = await json<{ version: number }[]>(['rules', 'list']);
    expect(sets[0]?.version).toBe(draft.version);
    expect((await json<{ version: number }>(['rules', 'show', String(draft.version)])).version).toBe(draft.version);

    const request = path.join(dataDir, 'canary.json');
    writeFileSync(
      request,
      JSON.stringify({
        candidate: { kind: 'rule-set', ruleSetVersion: draft.version },
        slice: { from: new Date().toISOString() },
      }),
    );
    const report = await json<{ id: string; status: string; createdBy: string }>(['canary', 'run', request]);
    expect(report).toMatchObject({ status: 'completed', createdBy: 'lena' });
    expect((await json<{ id: string }[]>(['canary', 'list'])).map((r) => r.id)).toContain(report.id);
    expect((await json<{ id: string }>(['canary', 'show', report.id])).id).toBe(report.id);
    const promoted = await json<{ status: string; promotedBy: string }>(['canary', 'promote', report.id]);
    expect(promoted).toMatchObject({ status: 'promoted', promotedBy: 'lena' });
    const again = await fails(['canary', 'promote', report.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
    expect((await json<{ version: number }>(['rules', 'show'])).version).toBe(draft.version);

    const { event } = await recordEvent(
      h.db,
      {
        type: 'form.submitted',
        actor: { kind: 'person', name: 'Visitor' },
        source: { kind: 'form', uri: `form://contact/${randomUUID()}`, version: '1' },
        occurredAt: new Date().toISOString(),
        confidence: 1,
        payload: { message: 'Please call me back about the brochure.' },
        metadata: {},
      },
      { idempotencyKey: `cli-test:${randomUUID()}` },
    );
    const routed = await json<{ eventId: string; duplicate: boolean; outcome: string }>(['route', event.id]);
    expect(routed).toMatchObject({ eventId: event.id, duplicate: false });
    const twice = await json<{ duplicate: boolean; outcome: string }>(['route', event.id]);
    expect(twice).toEqual(expect.objectContaining({ duplicate: true, outcome: routed.outcome }));
    expect(await trellis(['route', event.id])).toContain(`event ${event.id}:`);

    expect(Array.isArray(await json<unknown[]>(['suggestions', 'list']))).toBe(true);
    expect(Array.isArray(await json<unknown[]>(['advisor', reviewing]))).toBe(true);
    const unknown = await fails(['advisor', `nope-${randomUUID()}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404');
  }, 120_000);
});
