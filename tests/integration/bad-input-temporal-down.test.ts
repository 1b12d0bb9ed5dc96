import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { signBody } from '../../server/lib/signature.ts';
import { loadConfig } from '../../services/config.ts';
import type { RunningService } from '../../services/service.ts';
import { startTemporal, type TemporalEndpoint } from '../../services/temporal.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { createToken } from '../../store/tokens.ts';
import { createWebhookSource } from '../../store/webhook-sources.ts';
import { connectClient } from '../../temporal/client.ts';
import { graph } from '../support/graph-builder.ts';
import { testRegistry } from '../support/interpreter-harness.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

// Issue 19, bad-input row "ingest while Temporal is down": the delivery is stored and answered 202
// with its run pending, at once; the server starts the run when Temporal is back, exactly once.

interface Answer {
  eventId: string;
  duplicate: boolean;
  runs: { workflowId: string; runId: string; started: boolean; pending?: string }[];
}

describe('ingest while Temporal is down', () => {
  const services = inject('services');
  let config: Awaited<ReturnType<typeof isolatedConfig>>;
  let temporal: RunningService<TemporalEndpoint> | undefined;
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  let token = '';
  let source = { name: '', secret: '' };
  let appConfig: ReturnType<typeof loadConfig>;

  const api = (url: string, init: RequestInit = {}) =>
    fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const post = (url: string, body: unknown) =>
    api(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  function deliver(body: string, key: string, to = base): Promise<Response> {
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${to}/api/ingest/${source.name}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        'x-trellis-timestamp': String(timestamp),
        'x-trellis-signature': signBody(source.secret, timestamp, body),
      },
      body,
    });
  }
  const pendingRows = async (runId: string) =>
    (await db.query<{ attempts: number }>('select attempts from run_start_outbox where run_id = $1', [runId])).rows;

  beforeAll(async () => {
    config = await isolatedConfig({ ...process.env, TEMPORAL_ADDRESS: '' }, 'trellis-bad-temporal-');
    temporal = await startTemporal(config.temporal, config.dataDir, config.cacheDir, () => {});
    db = connectDb(services.postgres);
    appConfig = loadConfig({
      TEMPORAL_ADDRESS: temporal.endpoint.address,
      TEMPORAL_NAMESPACE: temporal.endpoint.namespace,
      DATABASE_URL: services.postgres.url,
      TRELLIS_TASK_QUEUE: `bad-temporal-${randomUUID()}`,
      TRELLIS_DATA_DIR: config.dataDir,
    });
    // The app connects to the test's own Temporal itself: that is the connection that loses it.
    app = await buildApp({
      config: appConfig,
      parts: { db, registry: await testRegistry() },
      env: { TRELLIS_RUN_RETRY_MS: '500' },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    token = (await createToken(db, 'temporal-down test')).plaintext;
    const name = `down-${Date.now().toString(36)}`;
    const created = await createWebhookSource(db, app.services.keyring, { name, kind: 'webhook' });
    if (!created) throw new Error('source exists');
    source = { name, secret: created.secret };
    const g = graph(
      'On order',
      [
        ['start', 'trigger', { kind: 'webhook', source: name }],
        ['echo', 'test.echo', { tag: 'order' }],
      ],
      ['start.event -> echo.value'],
    );
    const workflow = (await (await post('/api/workflows', { name: 'On order', graph: g })).json()) as {
      workflow: { id: string };
    };
    expect((await post(`/api/workflows/${workflow.workflow.id}/publish`, {})).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await temporal?.stop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('answers 202 with the run pending at once, keeps the event, and starts the run once Temporal is back', async () => {
    // Temporal up: the app connects and starts a run as usual.
    const before = (await (await deliver('{"order":1}', 'order-1')).json()) as Answer;
    expect(before.runs).toEqual([expect.objectContaining({ started: true })]);

    await temporal!.stop();
    temporal = undefined;

    const started = Date.now();
    const response = await deliver('{"order":2}', 'order-2');
    const elapsed = Date.now() - started;
    const answer = (await response.json()) as Answer;
    expect(response.status, JSON.stringify(answer)).toBe(202);
    expect(elapsed).toBeLessThan(8_000);
    expect(answer.runs).toEqual([
      expect.objectContaining({ started: false, pending: expect.stringMatching(/Temporal is unreachable/) }),
    ]);
    const runId = answer.runs[0]!.runId;
    const stored = await db.query('select id from events where id = $1', [answer.eventId]);
    expect(stored.rows).toHaveLength(1);
    expect(await pendingRows(runId)).toHaveLength(1);
    const status = await api(`/api/runs/${encodeURIComponent(runId)}`);
    expect(status.status).toBe(503);
    expect(status.headers.get('retry-after')).toBe('5');
    expect(((await status.json()) as { message: string }).message).toMatch(
      /has not started yet: Temporal is unreachable/,
    );

    // The sender retries while Temporal is still down: the same event, the same pending run.
    const retry = (await (await deliver('{"order":2}', 'order-2')).json()) as Answer;
    expect(retry).toMatchObject({ eventId: answer.eventId, duplicate: true, runs: [{ runId, started: false }] });
    expect(await pendingRows(runId)).toHaveLength(1);
    expect((await api('/api/webhook-sources')).status).toBe(200);

    // A server started while Temporal is down answers the same way, without a connect timeout.
    const fresh = await buildApp({ config: appConfig, parts: { db, registry: await testRegistry() }, env: {} });
    await fresh.listen({ host: '127.0.0.1', port: 0 });
    const freshAddress = fresh.server.address();
    const freshBase = `http://127.0.0.1:${typeof freshAddress === 'object' && freshAddress ? freshAddress.port : 0}`;
    let freshRunId = '';
    try {
      const startedFresh = Date.now();
      const freshAnswer = await deliver('{"order":3}', 'order-3', freshBase);
      const body = (await freshAnswer.json()) as Answer;
      expect(freshAnswer.status, JSON.stringify(body)).toBe(202);
      expect(Date.now() - startedFresh).toBeLessThan(8_000);
      expect(body.runs).toEqual([expect.objectContaining({ started: false, pending: expect.any(String) })]);
      freshRunId = body.runs[0]!.runId;
    } finally {
      await fresh.close();
    }

    temporal = await startTemporal(config.temporal, config.dataDir, config.cacheDir, () => {});
    const deadline = Date.now() + 90_000;
    const bothLeft = async () => [...(await pendingRows(runId)), ...(await pendingRows(freshRunId))];
    let left = await bothLeft();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      left = await bothLeft();
    }
    expect(left, 'pending runs were still in the outbox after 90 s').toEqual([]);
    const client = await connectClient(temporal.endpoint);
    try {
      const description = await client.workflow.getHandle(runId).describe();
      expect(description.status.name).toBe('RUNNING');
      expect((await client.workflow.getHandle(freshRunId).describe()).status.name).toBe('RUNNING');
      // Started once: the one execution of this run id, the first that was ever started.
      const executions = [];
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${runId}'` }))
        executions.push(execution);
      expect(executions.length).toBeLessThanOrEqual(1);
    } finally {
      await client.connection.close();
    }
    const again = (await (await deliver('{"order":2}', 'order-2')).json()) as Answer;
    expect(again.runs).toEqual([expect.objectContaining({ runId, started: false })]);
    expect(again.runs[0]?.pending).toBeUndefined();
  }, 240_000);
});
