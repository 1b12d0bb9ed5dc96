import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signBody } from '../../server/lib/signature.ts';
import { createWebhookSource } from '../../store/webhook-sources.ts';
import { graph } from '../support/graph-builder.ts';
import { rowCounts } from '../support/row-counts.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';

interface Case {
  name: string;
  request: () => InjectOptions;
  status: number;
  /** The field the 4xx must name (first error's pointer). */
  pointer?: string;
  /** Runs before the counts are taken (e.g. the first, accepted delivery of a replay). */
  setup?: () => Promise<void>;
}

describe('bad inputs', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let app: FastifyInstance;
  let token: string;
  let workflowId = '';
  let secret = '';
  const source = `bad-${Date.now().toString(36)}`;
  const now = () => Math.floor(Date.now() / 1000);

  const authed = (options: InjectOptions): InjectOptions => ({
    ...options,
    headers: { authorization: `Bearer ${token}`, ...options.headers },
  });
  const validGraph = graph(
    'ok',
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['echo', 'test.echo'],
    ],
    ['start.data -> echo.value'],
  );
  const signed = (body: string, timestamp = now(), signature = signBody(secret, timestamp, body)): InjectOptions => ({
    method: 'POST',
    url: `/api/ingest/${source}`,
    headers: {
      'content-type': 'application/json',
      'x-trellis-timestamp': String(timestamp),
      'x-trellis-signature': signature,
    },
    payload: body,
  });
  const replayed = { body: '{"id":"replayed-once"}', timestamp: 0 };

  const counts = () => rowCounts(h.db);

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'bad inputs test', harness: { worker: false } });
    ({ h, app, token } = server);
    secret = (await createWebhookSource(h.db, app.services.keyring, { name: source, kind: 'webhook' }))!.secret;
    const created = await app.inject(
      authed({ method: 'POST', url: '/api/workflows', payload: { name: 'Target', graph: validGraph } }),
    );
    workflowId = created.json<{ workflow: { id: string } }>().workflow.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const sqlId = encodeURIComponent("x'; drop table workflows; --");
  const cases: Case[] = [
    // wrong types
    {
      name: 'a workflow name that is a number',
      request: () => authed({ method: 'POST', url: '/api/workflows', payload: { name: 42, graph: validGraph } }),
      status: 400,
      pointer: '/name',
    },
    {
      name: 'a node version that is a string',
      request: () =>
        authed({
          method: 'POST',
          url: '/api/workflows',
          payload: { name: 'x', graph: { ...validGraph, nodes: [{ ...validGraph.nodes[0], version: '1' }] } },
        }),
      status: 400,
      pointer: '/graph/nodes/0/version',
    },
    {
      name: 'a run input that is an array',
      request: () => authed({ method: 'POST', url: `/api/workflows/${workflowId}/runs`, payload: { input: [] } }),
      status: 400,
      pointer: '/input',
    },
    {
      name: 'a limit that is not a number',
      request: () => authed({ method: 'GET', url: '/api/runs?limit=ten' }),
      status: 400,
      pointer: '/query/limit',
    },
    {
      name: 'a review decision that is not one of the three',
      request: () =>
        authed({
          method: 'POST',
          url: '/api/reviews/some-task/decision',
          payload: { decision: 'maybe', reviewer: 'ana' },
        }),
      status: 400,
      pointer: '/decision',
    },
    {
      name: 'a client e-mail that is not an address',
      request: () =>
        authed({ method: 'POST', url: '/api/clients', payload: { name: 'Acme', emails: ['not-an-email'] } }),
      status: 400,
      pointer: '/emails/0',
    },
    // missing fields
    {
      name: 'a workflow without a graph',
      request: () => authed({ method: 'POST', url: '/api/workflows', payload: { name: 'x' } }),
      status: 400,
      pointer: '/graph',
    },
    {
      name: 'a re-run without fromNode',
      request: () => authed({ method: 'POST', url: '/api/runs/run%3Ax%3Ay/rerun', payload: {} }),
      status: 400,
      pointer: '/fromNode',
    },
    {
      name: 'a memory search without q',
      request: () => authed({ method: 'GET', url: '/api/memory/search' }),
      status: 400,
      pointer: '/query/q',
    },
    {
      name: 'an edit without a value',
      request: () =>
        authed({ method: 'POST', url: '/api/reviews/some-task/decision', payload: { decision: 'edited' } }),
      status: 400,
      pointer: '/value',
    },
    {
      name: 'an unknown property',
      request: () =>
        authed({ method: 'POST', url: '/api/workflows', payload: { name: 'x', graph: validGraph, owner: 'root' } }),
      status: 400,
      pointer: '/owner',
    },
    {
      name: 'a body that is not JSON',
      request: () =>
        authed({
          method: 'POST',
          url: '/api/workflows',
          headers: { 'content-type': 'application/json' },
          payload: '{"name":',
        }),
      status: 400,
    },
    // unknown ids
    {
      name: 'an unknown workflow',
      request: () => authed({ method: 'GET', url: '/api/workflows/nope' }),
      status: 404,
      pointer: '/params/id',
    },
    {
      name: 'an update of an unknown workflow',
      request: () => authed({ method: 'PUT', url: '/api/workflows/nope', payload: { name: 'x' } }),
      status: 404,
      pointer: '/params/id',
    },
    {
      name: 'publishing an unknown workflow',
      request: () => authed({ method: 'POST', url: '/api/workflows/nope/publish', payload: {} }),
      status: 404,
      pointer: '/params/id',
    },
    {
      name: 'a run of a workflow never published',
      request: () =>
        authed({ method: 'POST', url: `/api/workflows/${workflowId}/runs`, payload: { input: { data: {} } } }),
      status: 404,
      pointer: '/params/id',
    },
    {
      name: 'a decision on an unknown task',
      request: () => authed({ method: 'POST', url: '/api/reviews/nope/decision', payload: { decision: 'rejected' } }),
      status: 404,
      pointer: '/params/taskId',
    },
    {
      name: 'an unknown run',
      request: () => authed({ method: 'GET', url: '/api/runs/run%3Anope%3Anope' }),
      status: 404,
      pointer: '/params/runId',
    },
    {
      // Answered like a wrong signature, so that source names cannot be probed.
      name: 'an unknown webhook source',
      request: () => ({ ...signed('{}'), url: '/api/ingest/nobody-here' }),
      status: 401,
      pointer: '/headers/x-trellis-signature',
    },
    { name: 'an unknown route', request: () => authed({ method: 'GET', url: '/api/nothing-here' }), status: 404 },
    // oversized bodies
    {
      name: 'a JSON body over 1 MB',
      request: () =>
        // Graph routes read up to 16 MB (server/lib/graph-limits.ts); the rest keep the 1 MB limit.
        authed({ method: 'POST', url: '/api/clients', payload: { name: 'x'.repeat(1_100_000) } }),
      status: 413,
    },
    {
      name: 'a webhook body over 1 MB',
      request: () => signed(JSON.stringify({ id: 'big', text: 'y'.repeat(1_100_000) })),
      status: 413,
    },
    // signatures
    {
      name: 'an unsigned delivery',
      request: () => ({ ...signed('{"id":"u"}'), headers: { 'content-type': 'application/json' } }),
      status: 401,
      pointer: '/headers/x-trellis-signature',
    },
    {
      name: 'a bad signature',
      request: () => signed('{"id":"b"}', now(), `sha256=${'f'.repeat(64)}`),
      status: 401,
      pointer: '/headers/x-trellis-signature',
    },
    {
      name: 'a signature over another body',
      request: () => signed('{"id":"tampered"}', now(), signBody(secret, now(), '{"id":"original"}')),
      status: 401,
      pointer: '/headers/x-trellis-signature',
    },
    {
      name: 'a stale signature',
      request: () => signed('{"id":"s"}', now() - 600),
      status: 401,
      pointer: '/headers/x-trellis-timestamp',
    },
    {
      name: 'a replayed signature',
      setup: async () => {
        replayed.timestamp = now();
        const first = await app.inject(signed(replayed.body, replayed.timestamp));
        expect(first.statusCode).toBe(202);
      },
      request: () => signed(replayed.body, replayed.timestamp),
      status: 409,
      pointer: '/headers/x-trellis-signature',
    },
    // tokens
    {
      name: 'no token',
      request: () => ({ method: 'GET', url: '/api/workflows' }),
      status: 401,
      pointer: '/headers/authorization',
    },
    {
      name: 'a wrong token',
      request: () => ({
        method: 'POST',
        url: '/api/workflows',
        headers: { authorization: 'Bearer trl_not-a-token' },
        payload: { name: 'x', graph: validGraph },
      }),
      status: 401,
      pointer: '/headers/authorization',
    },
    {
      name: 'a token in the wrong scheme',
      request: () => ({ method: 'GET', url: '/api/workflows', headers: { authorization: `Basic ${token}` } }),
      status: 401,
      pointer: '/headers/authorization',
    },
    {
      name: 'a wrong token on a signed route (no fallback to the signature)',
      request: () => ({
        ...signed('{"id":"t"}'),
        headers: { ...signed('{"id":"t"}').headers, authorization: 'Bearer nope' },
      }),
      status: 401,
      pointer: '/headers/authorization',
    },
    // SQL-looking strings
    {
      name: 'a SQL-looking workflow id',
      request: () => authed({ method: 'GET', url: `/api/workflows/${sqlId}` }),
      status: 404,
      pointer: '/params/id',
    },
    {
      name: 'a SQL-looking run filter (visibility query injection)',
      request: () =>
        authed({
          method: 'GET',
          url: `/api/runs?workflowId=${encodeURIComponent("x' OR WorkflowType = 'interpreter")}`,
        }),
      status: 400,
      pointer: '/query/workflowId',
    },
    {
      name: 'a SQL-looking status filter',
      request: () => authed({ method: 'GET', url: `/api/runs?status=${encodeURIComponent("running' --")}` }),
      status: 400,
      pointer: '/query/status',
    },
    {
      name: 'a SQL-looking limit',
      request: () => authed({ method: 'GET', url: '/api/events?limit=1;drop%20table%20events' }),
      status: 400,
      pointer: '/query/limit',
    },
    {
      name: 'a SQL-looking cursor',
      request: () => authed({ method: 'GET', url: `/api/events?cursor=${encodeURIComponent("' or 1=1 --")}` }),
      status: 400,
      pointer: '/query/cursor',
    },
    {
      name: 'a SQL-looking source name',
      request: () =>
        authed({ method: 'POST', url: '/api/webhook-sources', payload: { name: "x'); delete from events; --" } }),
      status: 400,
      pointer: '/name',
    },
    // script-looking strings
    {
      name: 'a script-looking source name',
      request: () =>
        authed({ method: 'POST', url: '/api/webhook-sources', payload: { name: '<script>alert(1)</script>' } }),
      status: 400,
      pointer: '/name',
    },
    {
      name: 'a script-looking idempotency key',
      request: () =>
        authed({
          method: 'POST',
          url: `/api/workflows/${workflowId}/runs`,
          payload: { input: { data: {} }, idempotencyKey: '<img src=x onerror=alert(1)>' },
        }),
      status: 400,
      pointer: '/idempotencyKey',
    },
    {
      name: 'a script-looking ingest path',
      request: () => ({ ...signed('{}'), url: `/api/ingest/${encodeURIComponent('<script>')}` }),
      status: 400,
      pointer: '/params/source',
    },
    {
      name: 'a script-looking node id in a graph',
      request: () =>
        authed({
          method: 'POST',
          url: '/api/workflows',
          payload: {
            name: 'x',
            graph: { ...validGraph, nodes: [{ ...validGraph.nodes[0], id: '<svg onload=alert(1)>' }] },
          },
        }),
      status: 400,
      pointer: '/graph/nodes/0/id',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s → right 4xx, nothing stored', async (_name, c) => {
    await c.setup?.();
    const before = await counts();
    const response = await app.inject(c.request());
    expect(response.statusCode, response.body).toBe(c.status);
    const body = response.json<{ statusCode: number; error: string; message: string; errors: { pointer: string }[] }>();
    expect(body).toMatchObject({ statusCode: c.status, error: expect.any(String), message: expect.any(String) });
    expect(Array.isArray(body.errors)).toBe(true);
    if (c.pointer) expect(body.errors.map((e) => e.pointer)).toContain(c.pointer);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(await counts()).toEqual(before);
  });
});
