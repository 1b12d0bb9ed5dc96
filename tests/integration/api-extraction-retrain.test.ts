import type { FastifyInstance } from 'fastify';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { classifyEvent } from '../../control/router/classify.ts';
import { loadModels } from '../../extraction/models/load.ts';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import { recordEvent } from '../../store/events.ts';
import { insertModel } from '../../store/extraction-models.ts';
import { graph } from '../support/graph-builder.ts';
import { runFinished, startApiApp, type ApiApp } from '../support/api-app.ts';
import { until as waitUntil, type UntilOptions } from '../support/until.ts';
import { productCodecs, realServices, type Harness } from '../support/interpreter-harness.ts';
import type { email } from '../support/retrain-emails.ts';
import {
  orderSheet,
  payment,
  type LedgerEntry,
  type ModelVersion,
  type Report,
  type Task,
} from '../support/retrain-emails.ts';

const run = promisify(execFile);

// Corrections of intent retrain the intent model through the API; the proposal is canaried
// against past runs' extract steps, and only its promotion makes new runs read with it.
describe('retraining the intent model from corrections through the API', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let nodeServices: NodeServices & { close(): Promise<void> };
  let app: FastifyInstance;
  let auth: { authorization: string };
  let workflowId = '';
  const correctedTasks: string[] = [];
  let promotedModel: string | undefined;

  let call: ApiApp['call'];
  const enc = encodeURIComponent;
  // Visibility and the review queue lag behind: poll through errors, for up to a minute.
  const patiently: UntilOptions = { timeoutMs: 60_000, intervalMs: 200, retryErrors: true };
  const until = <T>(what: string, probe: () => Promise<T | undefined>) => waitUntil(what, probe, patiently);

  async function startRun(draft: ReturnType<typeof email>): Promise<string> {
    const { event } = await recordEvent(h.db, draft, { idempotencyKey: `retrain-test:${randomUUID()}` });
    const started = await call('POST', `/api/workflows/${workflowId}/runs`, {
      input: { event },
      idempotencyKey: `retrain-${randomUUID()}`,
    });
    expect(started.statusCode, started.body).toBe(202);
    return started.json<{ runId: string }>().runId;
  }

  const pendingTask = (runId: string) =>
    until(`a review task of run ${runId}`, async () => {
      const { tasks } = (await call('GET', `/api/reviews?state=pending&workflowId=${enc(runId)}`)).json<{
        tasks: Task[];
      }>();
      return tasks[0];
    });

  const extractEntry = async (runId: string) =>
    (await call('GET', `/api/runs/${enc(runId)}/ledger`))
      .json<{ entries: LedgerEntry[] }>()
      .entries.find((entry) => entry.nodeId === 'extract');

  beforeAll(async () => {
    // Histories encrypted as in the product: the model canary must read them through the codec.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-api-'));
    server = await startApiApp(services, {
      label: 'api-extraction-retrain test',
      harness: {
        nodeServices: async (db) => (nodeServices = await realServices(services, db)),
        codecs: productCodecs(dataDir),
      },
      dataDir,
      parts: () => ({ memory: nodeServices.memory, embedder: nodeServices.embedder }),
    });
    ({ h, app, auth, call } = server);
    const g = graph(
      'Retrain inbox',
      [
        ['start', 'trigger', { kind: 'email', source: 'retrain-inbox' }],
        ['extract', 'extract', { policy: { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: 0.6 } }],
      ],
      ['start.event -> extract.event'],
    );
    const created = await call('POST', '/api/workflows', { name: 'Retrain inbox', graph: g });
    workflowId = created.json<{ workflow: { id: string } }>().workflow.id;
    expect((await call('POST', `/api/workflows/${workflowId}/publish`, {})).statusCode).toBe(201);
  }, 180_000);

  afterAll(async () => {
    // The live model is the whole installation's: give the other suites the shipped one back.
    if (promotedModel)
      await h.db.query(`update extraction_models set status = 'retired' where id = $1 and status = 'live'`, [
        promotedModel,
      ]);
    await server?.close();
    await nodeServices?.close();
  });

  it('declares the routes in the OpenAPI document the server serves', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown }>>;
    }>();
    expect(document.paths['/api/control/extraction/retrain']?.post).toMatchObject({
      tags: ['extraction'],
      requestBody: { content: { 'application/json': { schema: { properties: { epochs: { minimum: 1 } } } } } },
    });
    expect(document.paths['/api/control/extraction/models']?.get).toBeDefined();
    expect(document.paths['/api/control/extraction/models/{id}/reject']?.post).toBeDefined();
  });

  it('refuses bad retrain input naming the field, and a canary of a model that does not exist', async () => {
    const bad = await call('POST', '/api/control/extraction/retrain', { epochs: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/epochs');
    const missing = await call('POST', '/api/canaries', {
      candidate: { kind: 'extraction-model', modelId: 'intent@nothing' },
      slice: {},
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/candidate/modelId');
  });

  it('learns corrected intents, canaries them against past runs, and goes live only when promoted', async () => {
    const shipped = loadModels().intent!.version;

    // Three order sheets: the machine says change request and asks; the person says "other".
    for (const week of [23, 24, 25]) {
      const runId = await startRun(orderSheet(week));
      const task = await pendingTask(runId);
      const proposed = task.proposed!.extraction;
      expect(proposed.intent.label).toBe('change-request');
      expect(proposed.model).toContain(shipped);
      const decided = await call('POST', `/api/reviews/${enc(task.id)}/decision`, {
        decision: 'edited',
        reviewer: 'lena',
        value: { extraction: { ...proposed, intent: { label: 'other', confidence: 1 } } },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json<{ correction?: { kind: string } }>().correction).toMatchObject({ kind: 'extraction' });
      correctedTasks.push(task.id);
      expect(await runFinished(call, runId, patiently)).toBe('completed');
    }
    // The payment notice is unsure of its client too: the person approves it as billing.
    const paid = await startRun(payment);
    const paidTask = await pendingTask(paid);
    expect(paidTask.proposed!.extraction.intent.label).toBe('billing');
    const paidDecision = await call('POST', `/api/reviews/${enc(paidTask.id)}/decision`, { decision: 'approved' });
    expect(paidDecision.statusCode, paidDecision.body).toBe(200);
    expect(await runFinished(call, paid, patiently)).toBe('completed');
    // Visibility lists finished runs a moment after they finish: the canary reads it.
    await until('the four runs in visibility', async () => {
      const { runs } = (await call('GET', `/api/runs?workflowId=${workflowId}&limit=50`)).json<{
        runs: { status: string }[];
      }>();
      return runs.filter((run) => run.status === 'completed').length >= 4 ? true : undefined;
    });

    const retrained = await call('POST', '/api/control/extraction/retrain', { by: 'lena', workflowId });
    expect(retrained.statusCode, retrained.body).toBe(201);
    const { model, report } = retrained.json<{ model: ModelVersion; report: Report }>();
    expect(model.id.startsWith(`${shipped}+`)).toBe(true);
    expect(model).toMatchObject({ status: 'canary', reportId: report.id });
    expect(model.training.tasks).toEqual(expect.arrayContaining(correctedTasks));
    expect(model.training.labels.other).toBeGreaterThanOrEqual(3);
    expect(model).not.toHaveProperty('model');
    expect(report).toMatchObject({
      kind: 'extraction',
      status: 'completed',
      candidate: { kind: 'extraction-model', modelId: model.id, workflowId },
    });
    // The four past extract steps read again: on the order sheets the live model still says
    // change request and the candidate what the person said; the payment stays billing.
    expect(report.summary?.extraction).toMatchObject({
      modelId: model.id,
      liveVersion: shipped,
      compared: 4,
      changed: 3,
      reviewed: 4,
      liveAgrees: 1,
      candidateAgrees: 4,
      fixed: 3,
      broken: 0,
    });

    const listed = (await call('GET', '/api/control/extraction/models')).json<{
      shipped: string;
      live: string;
      models: ModelVersion[];
    }>();
    expect(listed).toMatchObject({ shipped, live: shipped });
    expect(listed.models.find((m) => m.id === model.id)).toMatchObject({ status: 'canary', reportId: report.id });

    // Canaried but not promoted: a new run still reads with the shipped model.
    const before = await startRun(orderSheet(26));
    const waiting = await pendingTask(before);
    expect(waiting.proposed!.extraction.intent.label).toBe('change-request');
    expect(waiting.proposed!.extraction.model).not.toContain(model.id);
    expect((await call('POST', `/api/runs/${enc(before)}/cancel`)).statusCode).toBeLessThan(300);

    const classify = async (week: number) =>
      classifyEvent(
        { db: h.db },
        (await recordEvent(h.db, orderSheet(week), { idempotencyKey: `retrain-test:${randomUUID()}` })).event,
      );
    // The intent router reads with the same model as the extract node.
    expect((await classify(26)).intent).toBe('change-request');

    const promoted = await call('POST', `/api/canaries/${enc(report.id)}/promote`, { by: 'lena' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    promotedModel = model.id;
    expect(promoted.json<Report>()).toMatchObject({
      status: 'promoted',
      promotion: { modelId: model.id, replaced: shipped },
    });
    const after = (await call('GET', '/api/control/extraction/models')).json<{
      live: string;
      models: ModelVersion[];
    }>();
    expect(after.live).toBe(model.id);
    expect(after.models.find((m) => m.id === model.id)?.status).toBe('live');

    expect(await classify(27)).toMatchObject({ intent: 'other', model: expect.stringContaining(model.id) as string });

    // Promoted: the next order sheet is read with the retrained model, and its ledger says so.
    const next = await startRun(orderSheet(27));
    // It is still unsure of the client and the dates, so a person confirms it.
    const task = await pendingTask(next);
    expect(task.proposed!.extraction.intent.label).toBe('other');
    expect(task.proposed!.extraction.model).toContain(model.id);
    const approved = await call('POST', `/api/reviews/${enc(task.id)}/decision`, {
      decision: 'approved',
      reviewer: 'lena',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await runFinished(call, next, patiently)).toBe('completed');
    const entry = await extractEntry(next);
    expect(entry?.notes).toContain(`intent model ${model.id} (retrained from corrections, live)`);
    expect(entry?.model).toContain(model.id);
  }, 300_000);

  it('refuses to promote a model that agrees with people less often than the live one, and can reject it', async () => {
    // A model that calls everything spam, stored as a proposal as a retrain would store it.
    const shipped = loadModels().intent!;
    const spammy = {
      ...shipped,
      version: `${shipped.version}+test.${randomUUID().slice(0, 8)}`,
      bias: shipped.classes.map((label) => (label === 'spam' ? 50 : 0)),
    };
    await insertModel(h.db, {
      model: spammy,
      baseVersion: shipped.version,
      createdBy: 'test',
      training: {
        examples: 0,
        tasks: [],
        skipped: [],
        labels: {},
        epochs: 0,
        l2: 0,
        l2New: 0,
        rightBefore: 0,
        rightAfter: 0,
      },
    });
    // A slice with no past run proves nothing: it cannot be promoted either.
    const empty = await call('POST', '/api/canaries', {
      candidate: { kind: 'extraction-model', modelId: spammy.version, workflowId },
      slice: { to: '2001-01-01T00:00:00Z' },
    });
    expect(empty.statusCode, empty.body).toBe(201);
    expect(empty.json<Report>().summary?.extraction).toMatchObject({ compared: 0 });
    const vacuous = await call('POST', `/api/canaries/${enc(empty.json<Report>().id)}/promote`, {});
    expect(vacuous.statusCode).toBe(409);
    expect(vacuous.json<{ message: string }>().message).toMatch(/found no past extract step/);

    const canaried = await call('POST', '/api/canaries', {
      candidate: { kind: 'extraction-model', modelId: spammy.version, workflowId },
      slice: {},
    });
    expect(canaried.statusCode, canaried.body).toBe(201);
    const report = canaried.json<Report>();
    expect(report.summary?.extraction).toMatchObject({ candidateAgrees: 0, fixed: 0 });
    expect(report.summary?.extraction?.liveAgrees).toBeGreaterThan(0);
    const refused = await call('POST', `/api/canaries/${enc(report.id)}/promote`, { by: 'lena' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toMatch(/agrees with people on 0 of \d+ reviewed past steps/);
    const rejected = await call('POST', `/api/control/extraction/models/${enc(spammy.version)}/reject`, { by: 'lena' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<{ model: ModelVersion }>().model.status).toBe('rejected');
    expect((await call('POST', `/api/control/extraction/models/${enc(spammy.version)}/reject`, {})).statusCode).toBe(
      409,
    );
  }, 120_000);

  it('is driven from the CLI: trellis extract models and trellis extract retrain', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const trellis = async (args: string[]) =>
      (
        await run(process.execPath, [path.resolve(import.meta.dirname, '../../bin/trellis.ts'), ...args], {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            TRELLIS_URL: address,
            TRELLIS_API_TOKEN: auth.authorization.slice('Bearer '.length),
          },
          maxBuffer: 10 * 1024 * 1024,
        })
      ).stdout;
    const listed = JSON.parse(await trellis(['extract', 'models', '--json'])) as {
      live: string;
      models: ModelVersion[];
    };
    expect(listed.live).toBe(promotedModel);
    expect(listed.models.find((m) => m.id === promotedModel)?.status).toBe('live');
    const retrained = JSON.parse(await trellis(['extract', 'retrain', '--no-canary', '--by', 'cli', '--json'])) as {
      model: ModelVersion;
      report?: unknown;
    };
    expect(retrained.model.id.startsWith(`${loadModels().intent!.version}+`)).toBe(true);
    expect(retrained.report).toBeUndefined();
    expect(await trellis(['extract', 'models'])).toContain(`live: ${promotedModel}`);
  }, 120_000);
});
