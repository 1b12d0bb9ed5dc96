// Trellis as an MCP server, driven by the official SDK's own client over Streamable HTTP (/mcp)
// and over stdio (`trellis mcp`, a client of the running server): the tools list with their
// schemas, a run started and read back with its ledger, a review decided, token scopes (a
// read-only token cannot act), bad arguments named by field, and the endpoint's refusals.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmbedder, createMemoryStore } from '../../memory/index.ts';
import type { MemoryStore } from '../../memory/types.ts';
import { createPublished, runFinished, startApiApp, type ApiApp } from '../support/api-app.ts';
import { echoTotalGraph, reviewTextGraph } from '../support/sample-graphs.ts';
import { until } from '../support/until.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The text of a tool result (its JSON body, or its error). */
const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('Trellis as an MCP server', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let echoId = '';
  let reviewId = '';
  let readToken = '';
  let actToken = '';
  let memory: MemoryStore | undefined;
  const clients: Client[] = [];

  async function httpClient(token: string): Promise<Client> {
    const client = new Client({ name: 'trellis-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server!.base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  async function tool(client: Client, name: string, args: Record<string, unknown>) {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async function token(scopes: string[]): Promise<string> {
    const reply = await server!.call('POST', '/api/tokens', { name: `mcp ${scopes.join('+')}`, scopes });
    expect(reply.statusCode).toBe(201);
    return reply.json<{ token: string }>().token;
  }

  beforeAll(async () => {
    server = await startApiApp(services, {
      label: 'mcp server test',
      listen: true,
      parts: async ({ db }) => {
        memory = await createMemoryStore({
          backend: 'weaviate',
          connection: services.weaviate,
          collection: `McpServer${randomUUID().replace(/-/g, '').slice(0, 10)}`,
          embedder: createEmbedder({ tier: 'local', cacheDb: db }),
        });
        return { memory };
      },
    });
    echoId = await createPublished(server.call, 'Echo total', echoTotalGraph('Echo total'));
    reviewId = await createPublished(server.call, 'Review a line', reviewTextGraph('Review a line'));
    readToken = await token(['read']);
    actToken = await token(['act']);
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await server?.close();
  });

  it('lists its tools with their JSON Schemas, marking which only read', async () => {
    const client = await httpClient(readToken);
    expect(client.getServerVersion()).toMatchObject({ name: 'trellis' });
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of [
      'list_workflows',
      'get_workflow',
      'start_run',
      'list_runs',
      'get_run',
      'get_run_ledger',
      'list_reviews',
      'decide_review',
      'search_memory',
      'ingest_event',
      'list_clients',
      'get_client',
      'create_client',
      'list_projects',
      'get_project',
      'create_project',
      'get_metrics',
    ])
      expect(byName.has(name), name).toBe(true);
    expect(byName.get('start_run')!.inputSchema).toMatchObject({ type: 'object', required: ['workflowId', 'input'] });
    expect(byName.get('list_runs')!.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('decide_review')!.annotations?.readOnlyHint).toBe(false);
  });

  it('starts a run and reads its state and ledger, as a tool and as a resource', async () => {
    const client = await httpClient(actToken);
    const found = await tool(client, 'list_workflows', { search: 'echo tot' });
    expect(found.isError).toBeFalsy();
    expect((found.structuredContent as { workflows: { id: string }[] }).workflows.map((w) => w.id)).toEqual([echoId]);

    const started = await tool(client, 'start_run', {
      workflowId: echoId,
      input: { data: { items: [{ amount: 2 }, { amount: 5 }] } },
      idempotencyKey: 'mcp-run-1',
    });
    expect(started.isError, textOf(started)).toBeFalsy();
    const { runId } = started.structuredContent as { runId: string; started: boolean };
    expect(started.structuredContent).toMatchObject({ started: true });
    const again = await tool(client, 'start_run', {
      workflowId: echoId,
      input: { data: {} },
      idempotencyKey: 'mcp-run-1',
    });
    expect(again.structuredContent).toMatchObject({ runId, started: false });

    expect(await runFinished(server!.call, runId)).toBe('completed');
    const run = await tool(client, 'get_run', { runId });
    expect(run.structuredContent).toMatchObject({ run: { workflowName: 'Echo total' } });
    const ledger = await tool(client, 'get_run_ledger', { runId });
    const entries = (ledger.structuredContent as { entries: { nodeId: string; output?: unknown }[] }).entries;
    expect(entries.find((e) => e.nodeId === 'echo')?.output).toEqual({ value: { tag: 'sum', value: 7 } });

    const resource = await client.readResource({ uri: `trellis://runs/${encodeURIComponent(runId)}/ledger` });
    const text = resource.contents[0] && 'text' in resource.contents[0] ? resource.contents[0].text : '';
    expect(JSON.parse(text)).toMatchObject({
      entries: expect.arrayContaining([expect.objectContaining({ nodeId: 'echo' })]),
    });
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['trellis://metrics', `trellis://workflows/${encodeURIComponent(echoId)}`]),
    );
  });

  it('lets an act token decide a review with an edited value, and refuses a read-only one', async () => {
    const actor = await httpClient(actToken);
    const reader = await httpClient(readToken);
    const started = await tool(actor, 'start_run', { workflowId: reviewId, input: { data: { text: 'draft line' } } });
    const { runId } = started.structuredContent as { runId: string };
    const taskId = await until(`a pending review task of ${runId}`, async () => {
      const listed = await tool(reader, 'list_reviews', { workflowId: runId });
      return (listed.structuredContent as { tasks: { id: string }[] }).tasks[0]?.id;
    });

    const refused = await tool(reader, 'decide_review', { taskId, decision: 'approved' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/decide_review: 403 .*"act" scope/);

    const decided = await tool(actor, 'decide_review', { taskId, decision: 'edited', value: { text: 'final line' } });
    expect(decided.isError, textOf(decided)).toBeFalsy();
    expect(await runFinished(server!.call, runId)).toBe('completed');
    const ledger = await tool(reader, 'get_run_ledger', { runId });
    const entries = (ledger.structuredContent as { entries: { nodeId: string; output?: unknown }[] }).entries;
    expect(entries.find((e) => e.nodeId === 'after')?.output).toEqual({
      value: { tag: 'after', value: { text: 'final line' } },
    });
    // A read-only token cannot start runs or file clients either.
    expect(textOf(await tool(reader, 'start_run', { workflowId: echoId, input: { data: {} } }))).toMatch(/403/);
    expect(textOf(await tool(reader, 'create_client', { name: 'Acme' }))).toMatch(/403/);
  });

  it('files a client and a project, and finds what Trellis remembers of the client, with provenance', async () => {
    const client = await httpClient(actToken);
    const created = await tool(client, 'create_client', {
      name: 'Harbour & Vine Ltd',
      domains: ['harbourvine.example'],
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const clientId = (created.structuredContent as { client: { id: string } }).client.id;
    const found = await tool(client, 'list_clients', { search: 'harbourvine' });
    expect((found.structuredContent as { clients: { id: string }[] }).clients.map((c) => c.id)).toEqual([clientId]);

    await memory!.upsert([
      {
        text: 'Harbour & Vine prefer calls after 5pm and pay by bank transfer.',
        kind: 'fact',
        clientId,
        source: { uri: 'event:mcp-test', version: '1' },
        confidence: 0.9,
        provenance: { workflowId: 'run:mcp-test', nodeId: 'remember' },
      },
    ]);
    const project = await tool(client, 'create_project', { name: 'Spring wine list', clientId });
    expect(project.isError, textOf(project)).toBeFalsy();
    const projectId = (project.structuredContent as { project: { id: string } }).project.id;
    const projects = await tool(client, 'list_projects', { clientId });
    expect((projects.structuredContent as { projects: { id: string }[] }).projects.map((p) => p.id)).toEqual([
      projectId,
    ]);
    expect((await tool(client, 'get_project', { projectId })).structuredContent).toMatchObject({
      project: { id: projectId, name: 'Spring wine list', clientId },
    });
    const orphan = await tool(client, 'create_project', { name: 'Nobody', clientId: 'no-such-client' });
    expect(textOf(orphan)).toMatch(/^create_project: 404 .*\/clientId/);

    const searched = await tool(client, 'search_memory', { q: 'when do they like calls', clientId });
    expect(searched.isError, textOf(searched)).toBeFalsy();
    const results = (searched.structuredContent as { hits: { record: Record<string, unknown> }[] }).hits;
    expect(results[0]?.record).toMatchObject({
      text: expect.stringContaining('after 5pm'),
      clientId,
      provenance: { workflowId: 'run:mcp-test', nodeId: 'remember' },
    });
  });

  it('ingests an email into a source once per idempotency key', async () => {
    const source = `mcp-mail-${Date.now().toString(36)}`;
    expect((await server!.call('POST', '/api/webhook-sources', { name: source, kind: 'email' })).statusCode).toBe(201);
    const email = readFileSync(path.join(repoRoot, 'tests/fixtures/emails/01-lead-bakery-redesign.eml'), 'utf8');
    const args = { source, content: email, contentType: 'message/rfc822', idempotencyKey: 'mcp-ingest-1' };
    const client = await httpClient(actToken);
    const first = await tool(client, 'ingest_event', args);
    expect(first.isError, textOf(first)).toBeFalsy();
    const { eventId } = first.structuredContent as { eventId: string };
    const again = await tool(client, 'ingest_event', args);
    expect(again.structuredContent).toMatchObject({ eventId, duplicate: true });
    const event = (await server!.call('GET', `/api/events/${eventId}`)).json<{ event: { type: string } }>();
    expect(event.event.type).toBe('email.received');
    const unknown = await tool(client, 'ingest_event', { source: 'no-such-source', content: { a: 1 } });
    expect(unknown.isError).toBe(true);
  });

  it('names the field of a bad argument, and of a refusal by the API', async () => {
    const client = await httpClient(actToken);
    const missing = await tool(client, 'start_run', { workflowId: echoId });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toBe("start_run: invalid arguments: /input must have required property 'input'");
    const wrongState = await tool(client, 'list_runs', { status: 'asleep' });
    expect(textOf(wrongState)).toMatch(/^list_runs: invalid arguments: \/status must be equal to one of/);
    const unknown = await tool(client, 'get_workflow', { workflowId: 'no-such-workflow' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/^get_workflow: 404 /);
    const badEmail = await tool(client, 'create_client', { name: 'Acme', emails: ['not an address'] });
    expect(textOf(badEmail)).toMatch(/\/emails\/0 must match format "email"/);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(
      /no tool named "no_such_tool"/,
    );
  });

  it('refuses requests without a bearer token, from other origins, and other methods', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${server!.base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${readToken}`, origin: 'https://evil.example' })).status).toBe(403);
    const ok = await post({ authorization: `Bearer ${readToken}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'trellis' } } });
    const get = await fetch(`${server!.base}/mcp`, { headers: { authorization: `Bearer ${readToken}` } });
    expect(get.status).toBe(405);
  });

  it('serves the same tools over stdio as `trellis mcp`, with the token it is given', async () => {
    const client = new Client({ name: 'trellis-stdio-test', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(repoRoot, 'bin/trellis.ts'), 'mcp'],
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRELLIS_URL: server!.base,
        TRELLIS_API_TOKEN: readToken,
      },
      stderr: 'pipe',
    });
    await client.connect(transport);
    clients.push(client);
    const listed = await tool(client, 'list_workflows', {});
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect((listed.structuredContent as { workflows: { id: string }[] }).workflows.map((w) => w.id)).toEqual(
      expect.arrayContaining([echoId, reviewId]),
    );
    const refused = await tool(client, 'start_run', { workflowId: echoId, input: { data: {} } });
    expect(textOf(refused)).toMatch(/^start_run: 403 .*"act" scope/);
  });
});
