import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signBody } from '../../server/lib/signature.ts';
import type { RunResult } from '../../temporal/workflows/run-types.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

interface IngestReply {
  eventId: string;
  status: string;
  duplicate: boolean;
  idempotencyKey: string;
  runs: { workflowId: string; runId: string; started: boolean }[];
}

describe('POST /api/ingest/:source', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let base: string;
  let secret = '';
  let workflowId = '';
  const source = `orders-${Date.now().toString(36)}`;

  const now = () => Math.floor(Date.now() / 1000);
  let api: ApiApp['api'];

  function deliver(
    body: string,
    options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ) {
    const timestamp = options.timestamp ?? now();
    return fetch(`${base}/api/ingest/${source}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trellis-timestamp': String(timestamp),
        'x-trellis-signature': options.signature ?? signBody(secret, timestamp, body),
        ...options.headers,
      },
      body,
    });
  }

  const eventsOf = async (name: string) =>
    (await h.db.query<{ n: number }>('select count(*)::int as n from events where source_name = $1', [name])).rows[0]
      ?.n ?? 0;

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-ingest test', listen: true });
    ({ h, base, api } = server);

    const created = await api('/api/webhook-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: source, kind: 'webhook' }),
    });
    expect(created.status).toBe(201);
    ({ secret } = (await created.json()) as { secret: string });
    const g = graph(
      'On order',
      [
        ['start', 'trigger', { kind: 'webhook', source }],
        ['echo', 'test.echo', { tag: 'order' }],
      ],
      ['start.event -> echo.value'],
    );
    const workflow = (await (
      await api('/api/workflows', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'On order', graph: g }),
      })
    ).json()) as { workflow: { id: string } };
    workflowId = workflow.workflow.id;
    const published = await api(`/api/workflows/${workflowId}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(published.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores a signed delivery before answering 202 and starts the listening workflow with the event', async () => {
    const response = await deliver(JSON.stringify({ id: 'order-1', text: 'Two logos please' }));
    expect(response.status).toBe(202);
    const reply = (await response.json()) as IngestReply;
    expect(reply).toMatchObject({ status: 'accepted', duplicate: false });
    expect(reply.runs).toEqual([{ workflowId, runId: expect.stringContaining(reply.idempotencyKey), started: true }]);
    const stored = await h.db.query('select id, source_name from events where id = $1', [reply.eventId]);
    expect(stored.rows[0]).toEqual({ id: reply.eventId, source_name: source });
    const result = (await h.client.workflow.getHandle(reply.runs[0]!.runId).result()) as RunResult;
    expect(result.outputs.echo).toMatchObject({
      value: { tag: 'order', value: { id: reply.eventId, type: 'webhook.received' } },
    });
  });

  it('returns the first event and starts nothing new for a duplicate delivery', async () => {
    const body = JSON.stringify({ id: 'order-2', text: 'retry me' });
    const first = (await (await deliver(body)).json()) as IngestReply;
    // The sender retries: a new timestamp, so a new signature, same body.
    const retry = await deliver(body, { timestamp: now() - 7 });
    expect(retry.status).toBe(202);
    const second = (await retry.json()) as IngestReply;
    expect(second).toMatchObject({ eventId: first.eventId, duplicate: true });
    expect(second.runs).toEqual([{ workflowId, runId: first.runs[0]!.runId, started: false }]);
  });

  it('uses the Idempotency-Key header, scoped to the source', async () => {
    const a = (await (await deliver('{"n":1}', { headers: { 'idempotency-key': 'k-42' } })).json()) as IngestReply;
    const b = (await (await deliver('{"n":2}', { headers: { 'idempotency-key': 'k-42' } })).json()) as IngestReply;
    expect(a.idempotencyKey).toBe(`${source}:k-42`);
    expect(b).toMatchObject({ eventId: a.eventId, duplicate: true });
  });

  it.each<[string, { signature?: string; timestamp?: number }, number, string]>([
    ['unsigned', { signature: '' }, 401, '/headers/x-trellis-signature'],
    ['a bad signature', { signature: `sha256=${'0'.repeat(64)}` }, 401, '/headers/x-trellis-signature'],
    [
      'a signature made with another secret',
      { signature: signBody('not-the-secret', now(), '{"id":"x"}') },
      401,
      '/headers/x-trellis-signature',
    ],
    ['a stale timestamp', { timestamp: now() - 301 }, 401, '/headers/x-trellis-timestamp'],
    ['a timestamp from the future', { timestamp: now() + 400 }, 401, '/headers/x-trellis-timestamp'],
  ])('refuses %s with 401 and stores nothing', async (_what, options, status, pointer) => {
    const before = await eventsOf(source);
    const body = '{"id":"x"}';
    const init = { ...options };
    if (init.signature === '') {
      const response = await fetch(`${base}/api/ingest/${source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trellis-timestamp': String(now()) },
        body,
      });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(pointer);
    } else {
      const response = await deliver(body, init);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(pointer);
    }
    expect(await eventsOf(source)).toBe(before);
  });

  it('refuses a replayed signature (same timestamp and body) with 409', async () => {
    const body = JSON.stringify({ id: 'order-replay' });
    const timestamp = now();
    const signature = signBody(secret, timestamp, body);
    expect((await deliver(body, { timestamp, signature })).status).toBe(202);
    const before = await eventsOf(source);
    const replay = await deliver(body, { timestamp, signature });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(
      '/headers/x-trellis-signature',
    );
    expect(await eventsOf(source)).toBe(before);
  });

  it('refuses a JSON body over 1 MB with 413', async () => {
    const big = JSON.stringify({ id: 'big', text: 'x'.repeat(1024 * 1024) });
    const before = await eventsOf(source);
    expect((await deliver(big)).status).toBe(413);
    expect(await eventsOf(source)).toBe(before);
  });

  it('takes an email from an operator with a token (the CLI path), and refuses one over 10 MB', async () => {
    const mail = `mail-${Date.now().toString(36)}`;
    await api('/api/webhook-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: mail, kind: 'email' }),
    });
    const eml = readFileSync(path.join(fixtures, 'emails/01-lead-bakery-redesign.eml'));
    const response = await api(`/api/ingest/${mail}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: eml,
    });
    expect(response.status).toBe(202);
    const reply = (await response.json()) as IngestReply;
    const event = (await (await api(`/api/events/${reply.eventId}`)).json()) as { event: { type: string } };
    expect(event.event.type).toBe('email.received');

    const huge = Buffer.concat([eml, Buffer.alloc(10 * 1024 * 1024, 'a')]);
    const before = await eventsOf(mail);
    const tooBig = await api(`/api/ingest/${mail}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: huge,
    });
    expect(tooBig.status).toBe(413);
    expect(await eventsOf(mail)).toBe(before);
  });

  it('limits the rate per source with 429', async () => {
    const limited = `limited-${Date.now().toString(36)}`;
    const created = await api('/api/webhook-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: limited, kind: 'webhook', rateLimitPerMinute: 3 }),
    });
    const { secret: limitedSecret } = (await created.json()) as { secret: string };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({ id: `r-${i}` });
      const timestamp = now();
      const response = await fetch(`${base}/api/ingest/${limited}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-trellis-timestamp': String(timestamp),
          'x-trellis-signature': signBody(limitedSecret, timestamp, body),
        },
        body,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(await eventsOf(limited)).toBe(3);
    // Another source is not affected.
    expect((await deliver(JSON.stringify({ id: 'not-limited' }))).status).toBe(202);
  });

  it('takes a document upload (multipart) from an operator', async () => {
    const form = new FormData();
    form.set('uri', 'doc://scope/acme');
    form.set('version', '3');
    form.set(
      'file',
      new Blob([readFileSync(path.join(fixtures, 'ingest/scope-of-work.md'))], { type: 'text/markdown' }),
      'scope.md',
    );
    const response = await api('/api/documents', { method: 'POST', body: form });
    expect(response.status).toBe(202);
    const reply = (await response.json()) as IngestReply;
    const event = (await (await api(`/api/events/${reply.eventId}`)).json()) as {
      event: { type: string; source: { uri: string; version: string } };
    };
    expect(event.event).toMatchObject({ type: 'document.received', source: { uri: 'doc://scope/acme', version: '3' } });
  });
});
