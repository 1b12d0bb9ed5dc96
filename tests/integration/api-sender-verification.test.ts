// A forged From must not pull a client's memory into what Trellis writes (issue 19, finding 3).
// Mail arrives at the ingest API; the operator trusts one receiving server's Authentication-Results.
// Mail that server verified is linked to its client and the client's memory flows on; mail from the
// same address without that proof is linked as a guess, and a person confirms the sender before the
// client's memory is used.
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import type { Event } from '../../schemas/event.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { realServices } from '../support/interpreter-harness.ts';

const TRUSTED = 'mx.studio.test';
const suffix = randomUUID().slice(0, 8);
const domain = `harbour-${suffix}.example`;
const sender = `ana@${domain}`;
const secretFact = `Harbour ${suffix} pays on net-45 terms and its bank account ends in 4471.`;

function mail(authResults: string | undefined, subject: string): string {
  return [
    ...(authResults ? [`Authentication-Results: ${authResults}`] : []),
    `From: Ana Ruiz <${sender}>`,
    'To: lena@studio.example',
    `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'Date: Mon, 7 Dec 2026 09:00:00 +0100',
    '',
    'Hi Lena, what payment terms and account did we agree for the next invoice?',
    '',
  ].join('\r\n');
}

describe('sender verification decides whether a client link may feed their data', { timeout: 180_000 }, () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let app: FastifyInstance;
  let nodeServices: NodeServices & { close(): Promise<void> };
  const source = `inbox-${suffix}`;
  let clientId = '';
  let workflowId = '';
  let pendingTask: string | undefined;

  let auth: ApiApp['auth'];
  let call: ApiApp['call'];

  async function ingest(raw: string): Promise<{ event: Event; runId: string }> {
    const response = await app.inject({
      method: 'POST',
      url: `/api/ingest/${source}`,
      headers: { ...auth, 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(response.statusCode, response.body).toBe(202);
    const reply = response.json<{ eventId: string }>();
    const event = (await call('GET', `/api/events/${reply.eventId}`)).json<{ event: Event }>().event;
    // Started explicitly with the stored event: other suites' live routing rules share this database
    // and could route the mail elsewhere first.
    const started = await call('POST', `/api/workflows/${workflowId}/runs`, { input: { event } });
    expect(started.statusCode, started.body).toBe(202);
    return { event, runId: started.json<{ runId: string }>().runId };
  }

  /** The run's outcome: finished (with its status) or waiting on a person's review task; 120 s at most. */
  async function outcome(runId: string): Promise<{ status: string; task?: { reason?: string; proposed?: unknown } }> {
    const deadline = Date.now() + 120_000;
    let seen = '';
    while (Date.now() < deadline) {
      const run = await call('GET', `/api/runs/${encodeURIComponent(runId)}`);
      seen = run.body;
      const status = run.statusCode === 200 ? run.json<{ run: { status: string } }>().run.status : 'unseen';
      if (status !== 'running' && status !== 'unseen') return { status };
      const tasks = (await call('GET', `/api/reviews?state=pending&workflowId=${encodeURIComponent(runId)}`)).json<{
        tasks: { id: string; reason?: string; proposed?: unknown }[];
      }>().tasks;
      pendingTask = tasks[0]?.id ?? pendingTask;
      if (tasks[0]) return { status: 'waiting', task: tasks[0] };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} neither finished nor asked a person within 120 s; last seen: ${seen.slice(0, 500)}`);
  }

  beforeAll(async () => {
    server = await startApiApp(services, {
      label: 'sender verification test',
      harness: { nodeServices: async (db) => (nodeServices = await realServices(services, db)) },
      env: { TRELLIS_TRUSTED_AUTHSERV_IDS: TRUSTED },
    });
    ({ app, auth, call } = server);
    expect((await call('POST', '/api/webhook-sources', { name: source, kind: 'email' })).statusCode).toBe(201);
    const created = await call('POST', '/api/clients', { name: `Harbour ${suffix}`, emails: [sender] });
    expect(created.statusCode, created.body).toBe(201);
    clientId = created.json<{ client: { id: string } }>().client.id;
    await nodeServices.memory.upsert([
      {
        text: secretFact,
        kind: 'note',
        clientId,
        source: { uri: `note://${suffix}`, version: '1' },
        confidence: 1,
        provenance: { workflowId: 'seed', nodeId: 'seed' },
      },
    ]);
    const g = graph(
      'Client context',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['context', 'retrieve', { scope: 'client', k: 3 }],
      ],
      ['start.event -> context.event'],
    );
    const workflow = (await call('POST', '/api/workflows', { name: `Client context ${suffix}`, graph: g })).json<{
      workflow: { id: string };
    }>().workflow;
    workflowId = workflow.id;
    expect((await call('POST', `/api/workflows/${workflow.id}/publish`, {})).statusCode).toBe(201);
  }, 120_000);

  afterAll(async () => {
    // The forged mail's review is rejected, so the shared review queue holds none of this suite's tasks.
    if (pendingTask)
      await call('POST', `/api/reviews/${encodeURIComponent(pendingTask)}/decision`, {
        decision: 'rejected',
        reviewer: 'test',
      }).catch(() => undefined);
    await server?.close();
    await nodeServices?.close();
  });

  it('mail the trusted server verified is linked to its client, and their memory is used', async () => {
    const { event, runId } = await ingest(
      mail(`${TRUSTED}; dkim=pass header.d=${domain}; dmarc=pass (p=reject) header.from=${domain}`, 'Terms (verified)'),
    );
    expect(event.clientId).toBe(clientId);
    expect(event.metadata.senderVerification).toMatchObject({ status: 'pass', method: 'authentication-results' });
    expect(event.metadata.clientLink).toMatchObject({ by: 'address', verified: true });
    expect(await outcome(runId)).toEqual({ status: 'completed' });
    const ledger = (await call('GET', `/api/runs/${encodeURIComponent(runId)}/ledger`)).body;
    expect(ledger).toContain(secretFact);
  });

  it('the same address without proof is a guess: a person checks the sender before the memory is used', async () => {
    // A header claiming a pass, written by a server nobody trusts (that is, by the sender).
    const { event, runId } = await ingest(
      mail(`mx.forger.example; dmarc=pass header.from=${domain}`, 'Terms (forged)'),
    );
    expect(event.clientId).toBe(clientId);
    expect(event.metadata.senderVerification).toMatchObject({ status: 'none' });
    expect(event.metadata.clientLink).toMatchObject({ by: 'address', verified: false });
    const result = await outcome(runId);
    expect(result.status).toBe('waiting');
    expect(result.task?.reason).toMatch(/is a guess .*sender not verified/);
    // The run has not gone on with the client's memory: only the person's approval releases it.
    const ledger = (await call('GET', `/api/runs/${encodeURIComponent(runId)}/ledger`)).body;
    expect(ledger).not.toMatch(/"status":"completed"[^}]*"nodeId":"context"/);
  });
});
