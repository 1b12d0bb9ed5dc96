import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmbedder, createMemoryStore } from '../../memory/index.ts';
import type { MemoryStore } from '../../memory/types.ts';
import { getEvent, recordEvent } from '../../store/events.ts';
import { createProject } from '../../store/projects.ts';
import type { Ledger } from '../../temporal/ledger.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { until } from '../support/until.ts';
import { productCodecs, type Harness } from '../support/interpreter-harness.ts';

const { temporal } = proto;

// Client data in the ledger (issue 19, finding 7): payloads encrypted in Temporal's store with a
// key per client, read back decrypted by the server for the inspector and replay; forgetting a
// client deletes its data and key, its runs' ledger shows the erasure, and other runs still replay.
describe('client data in the ledger', () => {
  const services = inject('services');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-client-data-'));
  let clientA = '';
  let clientB = '';
  let memory: MemoryStore;
  const eventIds: Record<string, string> = {};
  const memoryIds: Record<string, string> = {};
  const lastEvent: Record<string, Record<string, unknown>> = {};
  const emailA = `ana.pereira.${randomUUID().slice(0, 6)}@example.pt`;
  let server: ApiApp | undefined;
  let h: Harness;
  let workflowId = '';
  const runs: Record<string, string> = {};

  let call: ApiApp['call'];
  const enc = encodeURIComponent;

  /** A client with an email stored for it, a project, a memory record and a correction, and a run of its email. */
  async function clientWithData(name: string, from: string): Promise<{ clientId: string; runId: string }> {
    const created = await call('POST', '/api/clients', { name, emails: [from] });
    expect(created.statusCode, created.body).toBe(201);
    const clientId = created.json<{ client: { id: string } }>().client.id;
    const { event } = await recordEvent(
      h.db,
      {
        type: 'email.received',
        actor: { kind: 'person', name, address: from },
        source: { kind: 'email', uri: `mid:${randomUUID()}@mail.example`, version: '1' },
        occurredAt: '2026-12-01T09:00:00Z',
        confidence: 1,
        payload: {
          subject: 'Invoice question',
          text: `Hello, this is ${name} (${from}). Call me on +351 912 345 678.`,
        },
        metadata: {},
      },
      { idempotencyKey: `client-data:${randomUUID()}`, clientId },
    );
    eventIds[clientId] = event.id;
    await createProject(h.db, { clientId, name: `${name}'s website` });
    const [record] = await memory.upsert([
      {
        text: `${name} prefers calls after 5pm.`,
        kind: 'fact',
        clientId,
        source: { uri: `event:${event.id}`, version: '1' },
        confidence: 1,
        provenance: { workflowId: 'seed', nodeId: 'seed' },
      },
    ]);
    memoryIds[clientId] = record!.id;
    await h.db.query(
      `insert into control_corrections (task_id, memory_id, kind, decision, client_id) values ($1, $2, 'intent', 'edited', $3)`,
      [`task-${randomUUID()}`, record!.id, clientId],
    );
    lastEvent[clientId] = event;
    return { clientId, runId: await runFor(event) };
  }

  /** A run of the client's email that waits for a person (its review task holds the email). */
  async function waitingRunFor(clientId: string): Promise<{ runId: string; taskId: string }> {
    const created = await call('POST', '/api/workflows', {
      name: `Review mail ${clientId}`,
      graph: graph(
        'Review mail',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['review', 'human-review', { instructions: 'Check the reply', timeoutMinutes: 60, onTimeout: 'reject' }],
        ],
        ['start.event -> review.value'],
      ),
    });
    const reviewWorkflow = created.json<{ workflow: { id: string } }>().workflow.id;
    expect((await call('POST', `/api/workflows/${reviewWorkflow}/publish`, {})).statusCode).toBe(201);
    const started = await call('POST', `/api/workflows/${reviewWorkflow}/runs`, {
      input: { event: lastEvent[clientId] },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { runId } = started.json<{ runId: string }>();
    const taskId = await until(`a review task of ${runId}`, async () => {
      const { tasks } = (await call('GET', `/api/reviews?state=pending&workflowId=${enc(runId)}`)).json<{
        tasks: { id: string }[];
      }>();
      return tasks[0]?.id;
    });
    // Erasure finds running runs through visibility, which trails the start a little.
    await until(`${runId} in visibility`, async () => {
      for await (const found of h.client.workflow.list({ query: `TrellisClientId = "${clientId}"` }))
        if (found.workflowId === runId) return true;
      return undefined;
    });
    return { runId, taskId };
  }

  async function runFor(event: Record<string, unknown>): Promise<string> {
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
    server = await startApiApp(services, {
      label: 'client-data test',
      harness: { codecs: productCodecs(dataDir) },
      dataDir,
      parts: async ({ db }) => {
        memory = await createMemoryStore({
          backend: 'weaviate',
          connection: services.weaviate,
          collection: `ClientData${randomUUID().replace(/-/g, '').slice(0, 10)}`,
          embedder: createEmbedder({ tier: 'local', cacheDb: db }),
        });
        return { memory };
      },
    });
    ({ h, call } = server);
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
    ({ clientId: clientA, runId: runs.a } = await clientWithData('Ana Pereira', emailA));
    ({ clientId: clientB, runId: runs.b } = await clientWithData(
      'Bruno Costa',
      `bruno.${randomUUID().slice(0, 6)}@example.com`,
    ));
  });
  afterAll(async () => {
    await server?.close();
    await memory?.close();
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
    expect(ledger.trigger.event).toMatchObject({ clientId: clientA, actor: { address: emailA } });
    expect(ledger.entries.find((entry) => entry.nodeId === 'echo')?.status).toBe('completed');
    const replay = await call('POST', `/api/runs/${enc(runs.a!)}/replay`);
    expect(replay.json()).toEqual({ ok: true });
  });

  it('refuses to forget without a reason, naming the field, or a client that does not exist', async () => {
    const missing = await call('POST', `/api/clients/${enc(clientA)}/forget`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('reason');
    const unknown = await call('POST', `/api/clients/no-such-client/forget`, { reason: 'test' });
    expect(unknown.statusCode).toBe(404);
    expect(await getEvent(h.db, eventIds[clientA]!)).toBeDefined();
  });

  it("forgets a client: its data and key go, its runs show the erasure, other clients' runs still replay", async () => {
    const waiting = await waitingRunFor(clientA);
    const forgotten = await call('POST', `/api/clients/${enc(clientA)}/forget`, { reason: 'GDPR art. 17 request' });
    expect(forgotten.statusCode, forgotten.body).toBe(200);
    const { erasure } = forgotten.json<{ erasure: { erasedAt: string; erasedBy: string; counts: object } }>();
    expect(erasure.erasedBy).toMatch(/^token "client-data test" \(/);
    expect(erasure.counts).toMatchObject({
      events: 1,
      projects: 1,
      corrections: 1,
      memoryRecords: 1,
      runsTerminated: 1,
      reviewTasks: 1,
      clientRow: 'deleted',
    });

    // A's rows are gone; B's are all still there.
    expect(await getEvent(h.db, eventIds[clientA]!)).toBeUndefined();
    expect(await getEvent(h.db, eventIds[clientB]!)).toBeDefined();
    expect((await call('GET', `/api/clients/${enc(clientA)}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/clients/${enc(clientB)}`)).statusCode).toBe(200);
    expect(await memory.get(memoryIds[clientA]!)).toBeUndefined();
    expect(await memory.get(memoryIds[clientB]!)).toBeDefined();
    const corrections = await h.db.query('select client_id from control_corrections where client_id = any($1)', [
      [clientA, clientB],
    ]);
    expect(corrections.rows).toEqual([{ client_id: clientB }]);
    const keys = await h.db.query<{ client_id: string; sealed: boolean }>(
      'select client_id, sealed_key is not null as sealed from client_keys where client_id = any($1) order by client_id',
      [[clientA, clientB]],
    );
    expect(Object.fromEntries(keys.rows.map((row) => [row.client_id, row.sealed]))).toEqual({
      [clientA]: false,
      [clientB]: true,
    });

    // A's run: still in Temporal, no longer readable; the ledger says when and by whom.
    const ledger = (await call('GET', `/api/runs/${enc(runs.a!)}/ledger`)).json<Ledger>();
    expect(ledger.erased).toMatchObject({ clientId: clientA, erasedAt: erasure.erasedAt, erasedBy: erasure.erasedBy });
    expect(ledger.status).toBe('completed');
    expect(JSON.stringify(ledger)).not.toContain(emailA);
    expect(await storedBytes(runs.a!)).not.toContain(emailA);
    const replayA = (await call('POST', `/api/runs/${enc(runs.a!)}/replay`)).json<{ ok: boolean; erased?: object }>();
    expect(replayA).toMatchObject({ ok: false, erased: { clientId: clientA } });
    const recorded = (await call('GET', `/api/clients/${enc(clientA)}/erasure`)).json<{ erasure: object }>();
    expect(recorded.erasure).toMatchObject({ erasedAt: erasure.erasedAt, reason: 'GDPR art. 17 request' });

    // The run that was waiting for a person ended, and its review task (which held the email) is gone.
    const ended = (await call('GET', `/api/runs/${enc(waiting.runId)}/ledger`)).json<Ledger>();
    expect(ended).toMatchObject({ status: 'terminated', erased: { clientId: clientA } });
    expect((await call('GET', `/api/reviews/${enc(waiting.taskId)}`)).statusCode).toBe(404);

    // B's run reads and replays as before.
    const ledgerB = (await call('GET', `/api/runs/${enc(runs.b!)}/ledger`)).json<Ledger>();
    expect(ledgerB.erased).toBeUndefined();
    expect(ledgerB.trigger.event).toMatchObject({ clientId: clientB });
    expect((await call('POST', `/api/runs/${enc(runs.b!)}/replay`)).json()).toEqual({ ok: true });

    // Forgetting again changes nothing and answers with the first erasure.
    const again = (await call('POST', `/api/clients/${enc(clientA)}/forget`, { reason: 'again' })).json<{
      alreadyErased: boolean;
      erasure: { erasedAt: string };
    }>();
    expect(again).toMatchObject({ alreadyErased: true, erasure: { erasedAt: erasure.erasedAt } });
  });
});
