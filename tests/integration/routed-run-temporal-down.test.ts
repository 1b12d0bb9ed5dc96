import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import type { RunningService } from '../../services/service.ts';
import { startTemporal, type TemporalEndpoint } from '../../services/temporal.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { createToken } from '../../store/tokens.ts';
import { connectClient } from '../../temporal/client.ts';
import { graph } from '../support/graph-builder.ts';
import { testRegistry } from '../support/interpreter-harness.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

// Issue 19: a run that an intent-router rule decides is kept in the run-start outbox while Temporal
// is down, like a run wired to a source (bad-input-temporal-down.test.ts), and starts once it is back.

interface Answer {
  eventId: string;
  duplicate: boolean;
  runs: { workflowId: string; runId: string; started: boolean; pending?: string }[];
  routing?: { outcome: string; duplicate: boolean; runId?: string; decision: { ruleId?: string } };
}

const suffix = randomUUID().slice(0, 8);

describe('a routed run while Temporal is down', () => {
  const services = inject('services');
  let config: Awaited<ReturnType<typeof isolatedConfig>>;
  let temporal: RunningService<TemporalEndpoint> | undefined;
  let db: Db;
  let app: FastifyInstance;
  let auth: { authorization: string };
  let workflowId = '';
  const source = `routed-down-${suffix}`;
  const ruleId = `routed-down-${suffix}`;
  const customer = { name: 'Ines Berg', address: `ines-${suffix}@fjord.example` };

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const mail = (subject: string) =>
    [
      `From: ${customer.name} <${customer.address}>`,
      'To: lena@studio.example',
      `Subject: ${subject}`,
      `Message-ID: <${randomUUID()}@mail.example>`,
      'Date: Mon, 2 Jun 2025 09:00:00 +0200',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hi Lena, invoice 77 is overdue; could you send the payment details again?',
      '',
    ].join('\r\n');
  async function ingest(content: string): Promise<{ status: number; elapsed: number; answer: Answer }> {
    const started = Date.now();
    const response = await app.inject({
      method: 'POST',
      url: `/api/ingest/${source}`,
      headers: { ...auth, 'content-type': 'message/rfc822' },
      payload: content,
    });
    return { status: response.statusCode, elapsed: Date.now() - started, answer: response.json<Answer>() };
  }
  const pendingRows = async (runId: string) =>
    (await db.query<{ attempts: number }>('select attempts from run_start_outbox where run_id = $1', [runId])).rows;

  beforeAll(async () => {
    config = await isolatedConfig({ ...process.env, TEMPORAL_ADDRESS: '' }, 'trellis-routed-down-');
    temporal = await startTemporal(config.temporal, config.dataDir, config.cacheDir, () => {});
    db = connectDb(services.postgres);
    const appConfig = loadConfig({
      TEMPORAL_ADDRESS: temporal.endpoint.address,
      TEMPORAL_NAMESPACE: temporal.endpoint.namespace,
      DATABASE_URL: services.postgres.url,
      TRELLIS_TASK_QUEUE: `routed-down-${randomUUID()}`,
      TRELLIS_DATA_DIR: config.dataDir,
    });
    app = await buildApp({
      config: appConfig,
      parts: { db, registry: await testRegistry() },
      env: { TRELLIS_RUN_RETRY_MS: '500' },
    });
    await app.ready();
    auth = { authorization: `Bearer ${(await createToken(db, 'routed-down test')).plaintext}` };

    const g = graph(
      'Routed reminder',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['echo', 'test.echo', { tag: 'routed' }],
      ],
      ['start.event -> echo.value'],
    );
    workflowId = (await call('POST', '/api/workflows', { name: 'Routed reminder', graph: g })).json<{
      workflow: { id: string };
    }>().workflow.id;
    expect((await call('POST', `/api/workflows/${workflowId}/publish`, {})).statusCode).toBe(201);
    expect((await call('POST', '/api/webhook-sources', { name: source, kind: 'email' })).statusCode).toBe(201);
    const created = await call('POST', '/api/clients', { name: `Fjord ${suffix}`, emails: [customer.address] });
    const clientId = created.json<{ client: { id: string } }>().client.id;

    // A rule for this client whatever the intent, first; the live rules after it keep working.
    const live = (await call('GET', '/api/routing/rules')).json<{
      ruleSet: { rules: { id: string }[]; default: unknown };
    }>().ruleSet;
    const saved = await call('POST', '/api/routing/rule-sets', {
      rules: [{ id: ruleId, clientId, minConfidence: 0, workflowId, version: 1 }, ...live.rules],
      default: live.default,
      note: 'routed-run-temporal-down',
      createdBy: 'lena',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const draft = saved.json<{ ruleSet: { version: number } }>().ruleSet;
    const canary = await call('POST', '/api/canaries', {
      candidate: { kind: 'rule-set', ruleSetVersion: draft.version },
      slice: { from: new Date().toISOString(), clientId },
    });
    expect(canary.statusCode, canary.body).toBe(201);
    const promoted = await call('POST', `/api/canaries/${canary.json<{ id: string }>().id}/promote`, { by: 'lena' });
    expect(promoted.statusCode, promoted.body).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await temporal?.stop();
    if (config) rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('answers 202 with the routed run pending, keeps it in the outbox, and starts it once Temporal is back', async () => {
    await temporal!.stop();
    temporal = undefined;

    const content = mail('Invoice 77 overdue');
    const first = await ingest(content);
    expect(first.status, JSON.stringify(first.answer)).toBe(202);
    expect(first.elapsed).toBeLessThan(8_000);
    const runId = `run:${workflowId}:route:${first.answer.eventId}`;
    expect(first.answer.routing).toMatchObject({ outcome: 'run', duplicate: false, runId, decision: { ruleId } });
    expect(first.answer.runs).toEqual([
      { workflowId, runId, started: false, pending: expect.stringMatching(/Temporal is unreachable/) },
    ]);
    expect(await pendingRows(runId)).toHaveLength(1);
    const status = await call('GET', `/api/runs/${encodeURIComponent(runId)}`);
    expect(status.statusCode).toBe(503);
    expect(status.json<{ message: string }>().message).toMatch(/has not started yet: Temporal is unreachable/);

    // The sender delivers again while Temporal is still down: the same routed run, still one row.
    const again = await ingest(content);
    expect(again.answer).toMatchObject({
      eventId: first.answer.eventId,
      duplicate: true,
      routing: { duplicate: true },
    });
    expect(again.answer.runs).toEqual([
      expect.objectContaining({ runId, started: false, pending: expect.any(String) }),
    ]);
    expect(await pendingRows(runId)).toHaveLength(1);

    temporal = await startTemporal(config.temporal, config.dataDir, config.cacheDir, () => {});
    const deadline = Date.now() + 90_000;
    let left = await pendingRows(runId);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      left = await pendingRows(runId);
    }
    expect(left, 'the routed run was still in the outbox after 90 s').toEqual([]);
    const client = await connectClient(temporal.endpoint);
    try {
      expect((await client.workflow.getHandle(runId).describe()).status.name).toBe('RUNNING');
    } finally {
      await client.connection.close();
    }
    const routing = await db.query<{ run_id: string | null }>(
      'select run_id from control_routings where event_id = $1',
      [first.answer.eventId],
    );
    expect(routing.rows[0]?.run_id).toBe(runId);

    // Delivered once more: the routing is complete, so its run is named as started before, not pending.
    const later = await ingest(content);
    expect(later.answer.runs).toEqual([{ workflowId, runId, started: false }]);
  }, 240_000);
});
