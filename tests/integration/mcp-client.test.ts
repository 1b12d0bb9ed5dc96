// Trellis as an MCP client, against a real fixture server (tests/support/mcp-fixture-server.ts)
// started as a child process over stdio and over Streamable HTTP: registration through the API
// (secret values never answered, sealed in the row), the tool listing, and the mcp-tool node in
// real runs — echo and a structured result, then a hang, a crash, an error result and bad
// arguments, each failing as its kind should (retried or not) within a bounded time.
import type { WorkflowFailedError } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isSealed } from '../../security/envelope.ts';
import { fetchDecodedHistory } from '../../temporal/codec/history.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices } from '../support/interpreter-harness.ts';
import { testKeyring } from '../support/mail/send-fixtures.ts';
import { until } from '../support/until.ts';
import { CRASH_EXIT_CODE, fixtureServerPath, sha256 } from '../support/mcp-fixture-server.ts';

const keyring = testKeyring();
const stdioSecret = `stdio-secret-${randomUUID()}`;
const httpSecret = `http-secret-${randomUUID()}`;
/** Unique per run: the test database may outlive one. */
const httpName = `fixture http ${randomUUID().slice(0, 8)}`;

/** Starts the HTTP fixture and answers its URL, waiting at most 20 s for it to listen. */
async function startHttpFixture(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [fixtureServerPath, 'http', sha256(httpSecret)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the HTTP fixture did not listen within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const found = /listening (\d+)/.exec(chunk.toString());
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}/mcp` };
}

/** Processes whose command line holds `marker` (Linux: read from /proc; elsewhere none are seen). */
function processesWith(marker: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

/**
 * A history as text with every payload's data decoded (the decoded history's messages still render
 * bytes as base64 in JSON), so a secret would show if it were anywhere in it.
 */
function historyText(history: object): string {
  const json = JSON.stringify(history);
  const payloads = [...json.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map(([, data]) =>
    Buffer.from(data!, 'base64').toString('utf8'),
  );
  return [json, ...payloads].join('\n');
}

describe('Trellis as an MCP client', () => {
  const services = inject('services');
  let api: ApiApp;
  let http: { child: ChildProcess; url: string };
  let stdioId = '';
  let httpId = '';

  beforeAll(async () => {
    http = await startHttpFixture();
    api = await startApiApp(services, {
      label: 'mcp client test',
      harness: { nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), keyring: () => keyring }) },
      parts: () => ({ keyring }),
    });
  });
  afterAll(async () => {
    // The test database is shared: leave no server sealed with this file's throwaway keyring.
    await api?.h.db.query(`delete from mcp_servers where name like 'fixture %' or name like 'wrong header %'`);
    await api?.close();
    http?.child.kill();
  });

  const stdioInput = () => ({
    name: `fixture stdio ${randomUUID().slice(0, 8)}`,
    transport: 'stdio',
    command: process.execPath,
    args: [fixtureServerPath, 'stdio', sha256(stdioSecret)],
    env: { FIXTURE_TOKEN: stdioSecret },
  });

  it('registers a stdio and an http server: values sealed in the row, only names answered', async () => {
    const stdio = await api.call('POST', '/api/mcp-servers', stdioInput());
    expect(stdio.statusCode, stdio.body).toBe(201);
    expect(stdio.json()).toMatchObject({ transport: 'stdio', command: process.execPath, envNames: ['FIXTURE_TOKEN'] });
    stdioId = stdio.json<{ id: string }>().id;
    const created = await api.call('POST', '/api/mcp-servers', {
      name: httpName,
      transport: 'http',
      url: http.url,
      headers: { Authorization: `Bearer ${httpSecret}` },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ transport: 'http', url: http.url, headerNames: ['Authorization'] });
    httpId = created.json<{ id: string }>().id;

    const answers = [
      stdio.body,
      created.body,
      (await api.call('GET', '/api/mcp-servers')).body,
      (await api.call('GET', `/api/mcp-servers/${stdioId}`)).body,
      (await api.call('GET', `/api/mcp-servers/${httpId}`)).body,
    ];
    for (const body of answers) {
      expect(body).not.toContain(stdioSecret);
      expect(body).not.toContain(httpSecret);
    }
    const { rows } = await api.h.db.query<{ secrets: string; whole: string }>(
      'select secrets, row_to_json(mcp_servers)::text as whole from mcp_servers where id = any($1)',
      [[stdioId, httpId]],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(isSealed(row.secrets)).toBe(true);
      expect(row.whole).not.toContain(stdioSecret);
      expect(row.whole).not.toContain(httpSecret);
    }
  });

  it('refuses bad registrations and changes, naming the field', async () => {
    const refused = async (method: 'POST' | 'PATCH', url: string, body: object, status: number, pointer: string) => {
      const reply = await api.call(method, url, body);
      expect(reply.statusCode, reply.body).toBe(status);
      expect(reply.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toContain(pointer);
    };
    await refused('POST', '/api/mcp-servers', { transport: 'stdio', command: 'x' }, 400, '/name');
    await refused('POST', '/api/mcp-servers', { name: 'a', transport: 'pipe' }, 400, '/transport');
    await refused('POST', '/api/mcp-servers', { name: 'a', transport: 'stdio' }, 400, '/command');
    await refused('POST', '/api/mcp-servers', { name: 'a', transport: 'http' }, 400, '/url');
    await refused(
      'POST',
      '/api/mcp-servers',
      { name: 'a', transport: 'stdio', command: 'x', url: 'http://x' },
      400,
      '/url',
    );
    await refused('POST', '/api/mcp-servers', { name: 'a', transport: 'http', url: 'ftp://x' }, 400, '/url');
    await refused('POST', '/api/mcp-servers', { name: 'a', transport: 'http', url: 'http://' }, 400, '/url');
    const newline = { name: 'a', transport: 'http', url: 'http://x', headers: { A: 'b\nc' } };
    await refused('POST', '/api/mcp-servers', newline, 400, '/headers/A');
    await refused('POST', '/api/mcp-servers', { ...stdioInput(), name: httpName }, 409, '/name');
    await refused('PATCH', `/api/mcp-servers/${httpId}`, { command: 'x' }, 400, '/command');
    await refused('PATCH', `/api/mcp-servers/${stdioId}`, { name: httpName }, 409, '/name');
    await refused('PATCH', `/api/mcp-servers/${randomUUID()}`, { name: 'y' }, 404, '/params/id');
  });

  it('lists the tools of both servers through the API, with their schemas', async () => {
    for (const id of [stdioId, httpId]) {
      const reply = await api.call('GET', `/api/mcp-servers/${id}/tools`);
      expect(reply.statusCode, reply.body).toBe(200);
      const { tools } = reply.json<{ tools: { name: string; inputSchema: object; outputSchema?: object }[] }>();
      expect(tools.map((tool) => tool.name)).toEqual(['echo', 'add', 'hang', 'crash', 'fail']);
      expect(tools[0]?.inputSchema).toMatchObject({
        properties: { message: { type: 'string' } },
        required: ['message'],
      });
      expect(tools[1]?.outputSchema).toMatchObject({ properties: { sum: { type: 'number' } } });
    }
  });

  it('a wrong secret fails the listing with the reason, the value kept out; a change by name mends it', async () => {
    const wrong = `wrong-${randomUUID()}`;
    expect((await api.call('PATCH', `/api/mcp-servers/${stdioId}`, { env: { FIXTURE_TOKEN: wrong } })).statusCode).toBe(
      200,
    );
    const failing = await api.call('GET', `/api/mcp-servers/${stdioId}/tools`);
    expect(failing.statusCode).toBe(502);
    expect(failing.json<{ message: string }>().message).toMatch(/exited with code 2.*FIXTURE_TOKEN is missing or/);
    expect(failing.body).not.toContain(wrong);
    const mended = await api.call('PATCH', `/api/mcp-servers/${stdioId}`, {
      env: { FIXTURE_TOKEN: stdioSecret, UNUSED: 'x-unused' },
    });
    expect(mended.json()).toMatchObject({ envNames: ['FIXTURE_TOKEN', 'UNUSED'] });
    const trimmed = await api.call('PATCH', `/api/mcp-servers/${stdioId}`, { env: { UNUSED: null } });
    expect(trimmed.json()).toMatchObject({ envNames: ['FIXTURE_TOKEN'] });
    expect((await api.call('GET', `/api/mcp-servers/${stdioId}/tools`)).statusCode).toBe(200);
    const badHeader = await api.call('POST', '/api/mcp-servers', {
      name: `wrong header ${randomUUID().slice(0, 8)}`,
      transport: 'http',
      url: http.url,
      headers: { Authorization: `Bearer ${wrong}` },
    });
    const refused = await api.call('GET', `/api/mcp-servers/${badHeader.json<{ id: string }>().id}/tools`);
    expect(refused.statusCode).toBe(502);
    expect(refused.json<{ message: string }>().message).toMatch(/HTTP 401/);
    expect(refused.body).not.toContain(wrong);
  });

  it('a server that never answers the handshake is a 504 within the asked time, its process ended', async () => {
    const marker = `silent-${randomUUID()}`;
    const silent = await api.call('POST', '/api/mcp-servers', {
      name: `fixture silent ${marker.slice(7, 15)}`,
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)', marker],
    });
    const started = Date.now();
    const reply = await api.call('GET', `/api/mcp-servers/${silent.json<{ id: string }>().id}/tools?timeoutMs=1000`);
    expect(reply.statusCode).toBe(504);
    expect(reply.json<{ message: string }>().message).toMatch(/no answer within 1000 ms \(the server hung\)/);
    // The deadline, then at most the close's grace (stdin closed, SIGTERM) before the kill.
    expect(Date.now() - started).toBeLessThan(8_000);
    await until('the silent server to be gone', () => (processesWith(marker).length === 0 ? true : undefined), {
      timeoutMs: 5_000,
    });
  });

  it('gives a read token the registry but not the tool listing or changes', async () => {
    const minted = await api.call('POST', '/api/tokens', { name: 'mcp reader', scopes: ['read'] });
    const headers = { authorization: `Bearer ${minted.json<{ token: string }>().token}` };
    const as = (method: 'GET' | 'POST', url: string) =>
      api.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: stdioInput() } : {}) });
    expect((await as('GET', '/api/mcp-servers')).statusCode).toBe(200);
    expect((await as('GET', `/api/mcp-servers/${stdioId}/tools`)).statusCode).toBe(403);
    expect((await as('POST', '/api/mcp-servers')).statusCode).toBe(403);
  });

  it('documents the routes and their scopes in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/api/openapi.json')).json<{
      paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>>;
    }>();
    const list = doc.paths['/api/mcp-servers/'] ?? doc.paths['/api/mcp-servers'];
    expect(list?.get?.security).toEqual([{ bearer: ['read'] }]);
    expect(list?.post?.security).toEqual([{ bearer: ['admin'] }]);
    expect(doc.paths['/api/mcp-servers/{id}']?.patch?.security).toEqual([{ bearer: ['admin'] }]);
    expect(doc.paths['/api/mcp-servers/{id}/tools']?.get).toMatchObject({
      security: [{ bearer: ['act'] }],
      tags: ['mcp'],
    });
  });

  /** trigger.data → the tool's arguments (one node per server given). */
  const toolGraph = (calls: { id: string; serverId: string; tool: string; timeoutMs?: number }[]) =>
    graph(
      'mcp tools',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ...calls.map(({ id, serverId, tool, timeoutMs }): [string, string, Record<string, unknown>] => [
          id,
          'mcp-tool',
          { serverId, tool, ...(timeoutMs ? { timeoutMs } : {}) },
        ]),
      ],
      calls.map(({ id }) => `start.data -> ${id}.arguments`),
    );

  it('runs mcp-tool nodes over stdio and http; the run’s history holds no secret', async () => {
    const plan = api.h.compile(
      toolGraph([
        { id: 'echo', serverId: stdioId, tool: 'echo' },
        { id: 'add', serverId: httpId, tool: 'add' },
      ]),
    );
    // Each tool takes the arguments its schema names from the same data (the SDK drops the others).
    const { handle } = await api.h.start(plan, { data: { message: 'hello tools', a: 2, b: 3 } });
    const result = await handle.result();
    const echoed = JSON.stringify({ message: 'hello tools' });
    expect(result.outputs.echo).toEqual({ content: [{ type: 'text', text: echoed }], text: echoed });
    expect(result.outputs.add).toEqual({
      content: [{ type: 'text', text: '5' }],
      structuredContent: { sum: 5 },
      text: '5',
    });

    const history = historyText(await fetchDecodedHistory(api.h.client, handle.workflowId));
    expect(history).toContain('hello tools');
    expect(history).not.toContain(stdioSecret);
    expect(history).not.toContain(httpSecret);
  });

  /** Runs one mcp-tool node that must fail; answers its message, attempts and failure, bounded. */
  async function failingRun(serverId: string, tool: string, data: Record<string, unknown>, timeoutMs?: number) {
    const started = Date.now();
    const { handle } = await api.h.start(api.h.compile(toolGraph([{ id: 'tool', serverId, tool, timeoutMs }])), {
      data,
    });
    const error = await Promise.race([
      handle.result().then(
        () => new Error('the run completed'),
        (caught: unknown) => caught as WorkflowFailedError,
      ),
      new Promise<Error>((resolve) => setTimeout(() => resolve(new Error('the run did not end within 50 s')), 50_000)),
    ]);
    const message = (error as WorkflowFailedError).cause?.message ?? error.message;
    const history = await fetchDecodedHistory(api.h.client, handle.workflowId);
    const events = history.events ?? [];
    const attempts = Math.max(0, ...events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0));
    const failure = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    return {
      message,
      attempts,
      type: failure?.applicationFailureInfo?.type,
      nonRetryable: failure?.applicationFailureInfo?.nonRetryable ?? false,
      seconds: (Date.now() - started) / 1000,
      history: historyText(history),
    };
  }

  it('a hung tool times out on the node, is retried a bounded number of times, then fails the run', async () => {
    const run = await failingRun(stdioId, 'hang', {}, 1_500);
    expect(run.message).toMatch(/^node tool failed: tool "hang" on "fixture stdio [^"]+": no answer within 1500 ms/);
    expect(run).toMatchObject({ attempts: 3, type: 'McpTimeout', nonRetryable: false });
    // Three attempts of 1.5 s and backoffs of 1 s and 2 s: well under the bound.
    expect(run.seconds).toBeLessThan(40);
    // Each attempt closed its session: no hung server process is left behind.
    await until(
      'the hung fixture processes to be gone',
      () => (processesWith(sha256(stdioSecret)).length === 0 ? true : undefined),
      {
        timeoutMs: 5_000,
      },
    );
    const overHttp = await failingRun(httpId, 'hang', {}, 1_000);
    expect(overHttp.message).toContain(`tool "hang" on "${httpName}": no answer within 1000 ms`);
  });

  it('a crashed server fails the node naming the exit code and its stderr, after bounded retries', async () => {
    const run = await failingRun(stdioId, 'crash', {});
    expect(run.message).toMatch(
      new RegExp(
        `the process exited with code ${CRASH_EXIT_CODE}; its stderr ended with: fixture: crashing on purpose`,
      ),
    );
    expect(run).toMatchObject({ attempts: 3, type: 'McpServerCrashed', nonRetryable: false });
    expect(run.history).not.toContain(stdioSecret);
  });

  it('an error answered by the tool fails the node once, with the tool’s text', async () => {
    for (const serverId of [stdioId, httpId]) {
      const run = await failingRun(serverId, 'fail', {});
      expect(run.message).toMatch(/answered an error: the fixture refuses: quota exhausted$/);
      expect(run).toMatchObject({ attempts: 1, type: 'McpToolError', nonRetryable: true });
    }
  });

  it('arguments that do not fit the tool’s schema fail the node before the call, naming the field', async () => {
    const run = await failingRun(stdioId, 'echo', { message: 42 });
    expect(run.message).toMatch(/the arguments of tool "echo" are invalid: \/arguments\/message must be string/);
    expect(run).toMatchObject({ attempts: 1, type: 'NodeInputError', nonRetryable: true });
    const missing = await failingRun(httpId, 'add', { a: 1 });
    expect(missing.message).toMatch(/\/arguments\/b must have required property 'b'/);
    const unknown = await failingRun(httpId, 'nope', {});
    expect(unknown.message).toMatch(/the server has no such tool \(it lists: echo, add, hang, crash, fail\)/);
    expect(unknown).toMatchObject({ attempts: 1, type: 'McpProtocolError' });
  });

  it('deletes a server: 204, then it is gone (404), and a node naming it fails for good', async () => {
    const created = await api.call('POST', '/api/mcp-servers', stdioInput());
    const { id } = created.json<{ id: string }>();
    expect((await api.call('DELETE', `/api/mcp-servers/${id}`)).statusCode).toBe(204);
    expect((await api.call('GET', `/api/mcp-servers/${id}`)).statusCode).toBe(404);
    expect((await api.call('DELETE', `/api/mcp-servers/${id}`)).statusCode).toBe(404);
    const run = await failingRun(id, 'echo', { message: 'x' });
    expect(run.message).toBe(`node tool failed: MCP server "${id}" does not exist`);
    expect(run).toMatchObject({ attempts: 1, type: 'NodeInputError' });
  });
});
