import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';

interface NodeStatus {
  id: string;
  status: string;
  startedAt?: string;
  endedAt?: string;
  error?: string;
}

interface Report {
  id: string;
  status: string;
  summary?: { runs: number; canaryFailed: number };
  runs?: { pastRunId: string; status: string; error?: string }[];
}

const suffix = randomUUID().slice(0, 8);
const endless = '($f := function($n){ $f($n + 1) }; $f(0))';
const quoted = (expression: string) => JSON.stringify(expression).replace(/[()$[\]{}+*?.\\]/g, '\\$&');
const NODE_TIMEOUT_MS = 5_000;

// Issue 19, finding 4: expressions run under a budget. A runaway transform fails its node within
// the node's timeout while another run completes; an expression that does not parse is refused
// at check and publish; a routing rule with a runaway input mapping fails its canary, and routing
// by it once live leaves the API server answering.
describe('expression budgets through the API', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let app: FastifyInstance;
  let doubling = '';

  let auth: ApiApp['auth'];
  let call: ApiApp['call'];
  const enc = encodeURIComponent;

  async function runStatus(runId: string): Promise<{ status: string; nodes: NodeStatus[] }> {
    const deadline = Date.now() + 30_000;
    let seen = 'unseen';
    while (Date.now() < deadline) {
      const response = await call('GET', `/api/runs/${enc(runId)}`);
      if (response.statusCode === 200) {
        const body = response.json<{ run: { status: string }; status: { nodes: NodeStatus[] } }>();
        seen = body.run.status;
        if (seen !== 'running') return { status: seen, nodes: body.status.nodes };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not finish within 30 s (last seen: ${seen})`);
  }

  async function create(name: string, expression: string): Promise<string> {
    const g = graph(
      name,
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['shape', 'transform', { expression }],
      ],
      ['start.data -> shape.value'],
    );
    const response = await call('POST', '/api/workflows', { name, graph: g });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ workflow: { id: string } }>().workflow.id;
  }

  async function createPublished(name: string, expression: string): Promise<string> {
    const id = await create(name, expression);
    const published = await call('POST', `/api/workflows/${id}/publish`, {});
    expect(published.statusCode, published.body).toBe(201);
    return id;
  }

  const startRun = async (workflowId: string, data: Record<string, unknown>) => {
    const response = await call('POST', `/api/workflows/${workflowId}/runs`, { input: { data } });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<{ runId: string }>().runId;
  };

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-expressions test', weaviate: true });
    ({ app, auth, call } = server);
    doubling = await createPublished(`Double ${suffix}`, '{ "n": n * 2 }');
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('fails a runaway transform within its timeout, naming node and expression, while another run completes', async () => {
    const looping = await createPublished(`Loop ${suffix}`, endless);
    expect((await runStatus(await startRun(doubling, { n: 1 }))).status).toBe('completed');
    const [loopRun, normalRun] = [await startRun(looping, { n: 1 }), await startRun(doubling, { n: 21 })];
    const [loop, normal] = await Promise.all([runStatus(loopRun), runStatus(normalRun)]);

    const shape = loop.nodes.find((node) => node.id === 'shape');
    expect(loop.status).toBe('failed');
    expect(shape?.status).toBe('failed');
    expect(shape?.error).toMatch(new RegExp(`^node "shape": expression ${quoted(endless)} ran longer than 1000 ms$`));
    const took = Date.parse(shape!.endedAt!) - Date.parse(shape!.startedAt!);
    expect(took).toBeLessThan(NODE_TIMEOUT_MS);

    // The worker was free while the runaway expression ran: the other run finished first.
    expect(normal.status).toBe('completed');
    const ledger = (await call('GET', `/api/runs/${enc(normalRun)}/ledger`)).json<{
      entries: { nodeId: string; output?: unknown; endedAt?: string }[];
    }>();
    const doubled = ledger.entries.find((entry) => entry.nodeId === 'shape');
    expect(doubled?.output).toEqual({ value: { n: 42 } });
    expect(Date.parse(doubled!.endedAt!)).toBeLessThan(Date.parse(shape!.endedAt!));
  }, 60_000);

  it('refuses an expression that does not parse at check and at publish, naming node and expression', async () => {
    const broken = graph(
      'broken',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['shape', 'transform', { expression: '(((((' }],
      ],
      ['start.data -> shape.value'],
    );
    const expected = {
      code: 'invalid-expression',
      nodeId: 'shape',
      pointer: '/expression',
      message:
        'Node "shape" config /expression: expression "(((((" does not parse: Expected ")" before end of expression (at character 5)',
    };
    const checked = await call('POST', '/api/workflows/validate', { graph: broken });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ ok: false, errors: [expected] });

    const id = await create(`Broken ${suffix}`, '(((((');
    const published = await call('POST', `/api/workflows/${id}/publish`, {});
    expect(published.statusCode, published.body).toBe(422);
    expect(published.json<{ message: string; errors: unknown[] }>()).toMatchObject({
      message: expect.stringContaining('Node "shape" config /expression: expression "(((((" does not parse'),
      errors: [expected],
    });
    expect((await call('GET', `/api/workflows/${id}/versions`)).json()).toEqual({ versions: [] });
  });

  it('fails the canary of a rule with a runaway input mapping; routing by it live leaves the server answering', async () => {
    const source = `mail-${suffix}`;
    const customer = { name: 'Greta Olsen', address: `greta-${suffix}@northwind.example` };
    expect((await call('POST', '/api/webhook-sources', { name: source, kind: 'email' })).statusCode).toBe(201);
    const client = await call('POST', '/api/clients', { name: `Northwind ${suffix}`, emails: [customer.address] });
    expect(client.statusCode, client.body).toBe(201);
    const clientId = client.json<{ client: { id: string } }>().client.id;
    const ingest = (subject: string) =>
      app.inject({
        method: 'POST',
        url: `/api/ingest/${source}`,
        headers: { ...auth, 'content-type': 'message/rfc822' },
        payload: [
          `From: ${customer.name} <${customer.address}>`,
          'To: lena@studio.example',
          `Subject: ${subject}`,
          `Message-ID: <${randomUUID()}@mail.example>`,
          'Date: Mon, 2 Jun 2025 09:00:00 +0200',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Hi Lena, invoice 1043 is overdue; please send the payment details. Greta',
          '',
        ].join('\r\n'),
      });
    const past = await ingest('Invoice 1043 overdue');
    expect(past.statusCode, past.body).toBe(202);
    const pastEvent = past.json<{ eventId: string }>().eventId;

    // Our rule (this client only, any intent) first, the live rules after it.
    const ruleId = `loop-${suffix}`;
    const live = (await call('GET', '/api/routing/rules')).json<{ ruleSet: { rules: unknown[]; default: unknown } }>();
    const saved = await call('POST', '/api/routing/rule-sets', {
      rules: [
        { id: ruleId, clientId, minConfidence: 0, workflowId: doubling, version: 1, inputMapping: endless },
        ...live.ruleSet.rules,
      ],
      default: live.ruleSet.default,
      note: 'api-expressions',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const draft = saved.json<{ ruleSet: { version: number } }>().ruleSet.version;
    const failure = new RegExp(`^rule "${ruleId}": expression ${quoted(endless)} ran longer than 1000 ms$`);

    const canary = await call('POST', '/api/canaries', {
      candidate: { kind: 'rule-set', ruleSetVersion: draft },
      slice: { clientId },
    });
    expect(canary.statusCode, canary.body).toBe(201);
    const report = canary.json<Report>();
    expect(report).toMatchObject({ status: 'completed', summary: { runs: 1, canaryFailed: 1 } });
    expect(report.runs?.[0]).toMatchObject({
      pastRunId: pastEvent,
      status: 'failed',
      error: expect.stringMatching(failure),
    });
    const refused = await call('POST', `/api/canaries/${report.id}/promote`, { by: 'lena' });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<{ message: string }>().message).toMatch(/1 canary runs failed/);

    // Promoted over a slice without this client's events, the rule goes live anyway.
    const empty = (
      await call('POST', '/api/canaries', {
        candidate: { kind: 'rule-set', ruleSetVersion: draft },
        slice: { clientId: `nobody-${suffix}` },
      })
    ).json<Report>();
    expect(empty).toMatchObject({ status: 'completed', summary: { runs: 0 } });
    const promoted = await call('POST', `/api/canaries/${empty.id}/promote`, { by: 'lena' });
    expect(promoted.statusCode, promoted.body).toBe(200);

    let ingestDone = false;
    const routing = ingest('Invoice 1044 overdue').then((response) => {
      ingestDone = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = await call('GET', '/api/health');
    expect(health.statusCode, health.body).toBe(200);
    expect(ingestDone, 'the health check answered only after the mapping was stopped').toBe(false);
    const routed = await routing;
    expect(routed.statusCode, routed.body).toBe(202);
    const reply = routed.json<{ eventId: string; runs: unknown[]; routingError?: string }>();
    expect(reply.runs).toEqual([]);
    expect(reply.routingError).toMatch(failure);

    const again = await call('POST', `/api/events/${reply.eventId}/route`);
    expect(again.statusCode, again.body).toBe(422);
    expect(again.json<{ message: string }>().message).toMatch(failure);
    expect((await call('GET', '/api/health')).statusCode).toBe(200);
  }, 90_000);
});
