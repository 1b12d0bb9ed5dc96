import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../services/config.ts';
import { createToken } from '../../store/tokens.ts';
import { createPayloadCodec } from '../../temporal/codec/index.ts';
import type { Ledger } from '../../temporal/ledger.ts';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

// Client data in the ledger (issue 19, finding 7): payloads encrypted in Temporal's store with a
// key per client, read back decrypted by the server for the inspector and replay.
describe('client data in the ledger', () => {
  const services = inject('services');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-client-data-'));
  const clientA = `cli_a_${randomUUID().slice(0, 8)}`;
  const clientB = `cli_b_${randomUUID().slice(0, 8)}`;
  const emailA = `ana.pereira.${randomUUID().slice(0, 6)}@example.pt`;
  let h: Harness;
  let app: FastifyInstance;
  let auth: { authorization: string };
  let workflowId = '';
  const runs: Record<string, string> = {};

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const enc = encodeURIComponent;

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      last = await probe();
      if (last !== undefined) return last as T;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
  }

  async function runFor(clientId: string, from: string): Promise<string> {
    const event = { clientId, from, subject: 'Invoice question', text: `Hello, this is ${from}. Call me.` };
    const started = await call('POST', `/api/workflows/${workflowId}/runs`, { input: { event } });
    expect(started.statusCode, started.body).toBe(202);
    const { runId } = started.json<{ runId: string }>();
    await until(`run ${runId} to finish`, async () => {
      const { run } = (await call('GET', `/api/runs/${enc(runId)}`)).json<{ run: { status: string } }>();
      return run.status === 'running' ? undefined : run.status;
    });
    return runId;
  }

  /** The run's history as Temporal stores it, read by a client without the codec. */
  async function storedBytes(runId: string): Promise<string> {
    const raw = new Client({ connection: h.client.connection, namespace: services.temporal.namespace });
    const history = await raw.workflow.getHandle(runId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
  }

  beforeAll(async () => {
    h = await startHarness(services, {
      codecs: (db) => ({
        worker: createPayloadCodec({ db, dataDir, onErased: 'throw', env: {} })!.codec,
        client: createPayloadCodec({ db, dataDir, onErased: 'marker', env: {} })!.codec,
      }),
    });
    const config = loadConfig({
      TEMPORAL_ADDRESS: services.temporal.address,
      TEMPORAL_NAMESPACE: services.temporal.namespace,
      DATABASE_URL: services.postgres.url,
      TRELLIS_TASK_QUEUE: h.taskQueue,
      TRELLIS_DATA_DIR: dataDir,
    });
    app = await buildApp({ config, parts: { db: h.db, temporal: h.client, registry: h.registry }, env: {} });
    auth = { authorization: `Bearer ${(await createToken(h.db, 'client-data test')).plaintext}` };
    const created = await call('POST', '/api/workflows', {
      name: `Answer mail ${clientA}`,
      graph: graph(
        'Answer mail',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['echo', 'test.echo', { tag: 'reply' }],
        ],
        ['start.event -> echo.value'],
      ),
    });
    workflowId = created.json<{ workflow: { id: string } }>().workflow.id;
    expect((await call('POST', `/api/workflows/${workflowId}/publish`, {})).statusCode).toBe(201);
    runs.a = await runFor(clientA, emailA);
    runs.b = await runFor(clientB, 'bruno@example.com');
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it("stores no plaintext of a client's email in Temporal, sealed with that client's key", async () => {
    const stored = await storedBytes(runs.a!);
    expect(stored).not.toContain(emailA);
    expect(stored).toContain('binary/encrypted');
    expect(stored).toContain(`client/${clientA}`);
    expect(await storedBytes(runs.b!)).toContain(`client/${clientB}`);
  });

  it('shows the ledger decrypted and replays through the server', async () => {
    const ledger = (await call('GET', `/api/runs/${enc(runs.a!)}/ledger`)).json<Ledger>();
    expect(ledger.status).toBe('completed');
    expect(ledger.trigger.event).toMatchObject({ clientId: clientA, from: emailA });
    expect(ledger.entries.find((entry) => entry.nodeId === 'echo')?.status).toBe('completed');
    const replay = await call('POST', `/api/runs/${enc(runs.a!)}/replay`);
    expect(replay.json()).toEqual({ ok: true });
  });
});
