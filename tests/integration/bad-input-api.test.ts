import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graph as buildGraph } from '../support/graph-builder.ts';
import { startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 19, bad-input rows about API input: a 400 naming the field, at once; the server still up,
// nothing stored.

const tables = ['workflows', 'clients', 'projects', 'api_tokens', 'events'];

describe('bad API input', () => {
  const services = inject('services');
  let server: IngestServer;

  beforeAll(async () => {
    server = await startIngestServer(services);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of tables) {
      const { rows } = await server.h.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
      result[table] = rows[0]?.n ?? -1;
    }
    return result;
  }

  it('refuses a page token it never gave out with 400 naming pageToken, at once', async () => {
    const started = Date.now();
    const response = await server.api('/api/runs?pageToken=garbage');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { pointer: string }[] };
    expect(body.errors[0]?.pointer).toBe('/query/pageToken');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  const graph = {
    name: 'x',
    nodes: [{ id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' } }],
    edges: [],
  };
  it.each([
    ['a workflow', '/api/workflows', { name: 'Quotes\u0000', graph }],
    ['a client', '/api/clients', { name: 'Acme\u0000 Ltd' }],
    ['a project', '/api/projects', { name: '\u0000Logo' }],
    ['a token', '/api/tokens', { name: 'ci\u0000' }],
  ])('refuses a NUL character in the name of %s with 400 naming /name', async (_what, url, payload) => {
    const before = await counts();
    const response = await server.api(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; errors: { pointer: string }[] };
    expect(body.errors[0]?.pointer).toBe('/name');
    expect(body.message).toMatch(/NUL/);
    expect(await counts()).toEqual(before);
    expect((await server.api('/api/webhook-sources')).status).toBe(200);
  });

  it('names a NUL character deep in a body and in a query', async () => {
    const deep = await server.api('/api/clients', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', emails: ['a@example.com', 'b\u0000@example.com'] }),
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/emails/1');
    const query = await server.api(`/api/events?type=${encodeURIComponent('a\u0000b')}`);
    expect(query.status).toBe(400);
    expect(((await query.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/query/type');
  });

  it('refuses a tampered export with 409 naming /contentHash unless the caller accepts the change', async () => {
    const post = (url: string, payload: unknown) =>
      server.api(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    const response = await post('/api/workflows', {
      name: 'Exported',
      graph: buildGraph('Exported', [['start', 'trigger', { kind: 'manual' }]], []),
    });
    const created = (await response.json()) as { workflow: { id: string } };
    expect(response.status, JSON.stringify(created)).toBe(201);
    const exported = (await (await server.api(`/api/workflows/${created.workflow.id}/export`)).json()) as {
      contentHash: string;
      name: string;
      graph: { nodes: { config: Record<string, unknown> }[] };
    };
    expect(exported.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const asExported = await post('/api/workflows/import', exported);
    expect(asExported.status).toBe(201);
    expect(await asExported.json()).toMatchObject({ integrity: 'matches' });

    const tampered = structuredClone(exported);
    tampered.name = 'Exported (changed)';
    const before = await counts();
    const refused = await post('/api/workflows/import', tampered);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { message: string; errors: { pointer: string }[] };
    expect(body.errors[0]?.pointer).toBe('/contentHash');
    expect(body.message).toMatch(/changed after it was exported.*acceptModified=true/);
    expect(await counts()).toEqual(before);

    const accepted = await post('/api/workflows/import?acceptModified=true', tampered);
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ integrity: 'modified', workflow: { name: 'Exported (changed)' } });
  });

  /** A graph of `count` transform nodes, each with a config of some size: over 1 MB from about 2,000 nodes. */
  function bigGraph(count: number) {
    return buildGraph(
      `big ${count}`,
      [
        ['start', 'trigger', { kind: 'manual' }],
        ...Array.from({ length: count - 1 }, (_, i): [string, string, Record<string, unknown>] => [
          `t${i}`,
          'transform',
          { expression: `value & ${JSON.stringify('x'.repeat(500))}` },
        ]),
      ],
      [],
    );
  }

  it('refuses a 5,000-node graph with 413 naming /graph/nodes and the limit, not the body size', async () => {
    const huge = bigGraph(5_000);
    const payload = JSON.stringify({ name: 'huge', graph: huge });
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    const before = await counts();
    for (const [method, url, body] of [
      ['POST', '/api/workflows', payload],
      ['POST', '/api/workflows/validate', JSON.stringify({ graph: huge })],
      [
        'POST',
        '/api/workflows/import',
        JSON.stringify({ format: 'trellis-workflow', formatVersion: 1, name: 'huge', graph: huge }),
      ],
    ] as const) {
      const response = await server.api(url, { method, headers: { 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as { message: string; errors: { pointer: string }[] };
      expect(response.status, `${url}: ${answer.message}`).toBe(413);
      expect(answer.errors[0]?.pointer).toBe('/graph/nodes');
      expect(answer.message).toBe('a workflow has at most 2,000 nodes; this graph has 5,000');
    }
    expect(await counts()).toEqual(before);
    // At the limit a graph over the general 1 MB body limit is still taken.
    const atLimit = JSON.stringify({ graph: bigGraph(2_000) });
    expect(atLimit.length).toBeGreaterThan(1024 * 1024);
    const validated = await server.api('/api/workflows/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: atLimit,
    });
    expect(validated.status).toBe(200);
  });
});
