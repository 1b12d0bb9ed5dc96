import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { chatRequests, stubRouter, toolCallReply, toolResultsIn } from '../support/agent-model-stub.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices } from '../support/interpreter-harness.ts';
import { testKeyring } from '../support/mail/send-fixtures.ts';
import { fixtureServerPath, sha256 } from '../support/mcp-fixture-server.ts';
import { until } from '../support/until.ts';

// An agent calling a tool of a registered MCP server (the stdio fixture): the model sees the tool's
// schema as the server lists it, the call asks first (every MCP tool does by default), and the
// server's secret stays out of the run's history.

const keyring = testKeyring();
const secret = `agent-mcp-secret-${randomUUID()}`;

describe('agent node with an MCP tool', () => {
  const services = inject('services');
  let stub: OpenAIStub;
  let api: ApiApp;
  let serverId = '';

  beforeAll(async () => {
    stub = await startOpenAIStub();
    api = await startApiApp(services, {
      label: 'agent mcp test',
      harness: {
        nodeServices: (db) =>
          Promise.resolve({ ...dbOnlyServices(db), models: stubRouter(db, stub), keyring: () => keyring }),
      },
      parts: () => ({ keyring }),
    });
    const created = await api.call('POST', '/api/mcp-servers', {
      name: `fixture agent ${randomUUID().slice(0, 8)}`,
      transport: 'stdio',
      command: process.execPath,
      args: [fixtureServerPath, 'stdio', sha256(secret)],
      env: { FIXTURE_TOKEN: secret },
    });
    expect(created.statusCode, created.body).toBe(201);
    serverId = created.json<{ id: string }>().id;
  });
  afterAll(async () => {
    // The test database is shared: leave no server sealed with this file's throwaway keyring.
    await api?.h.db.query('delete from mcp_servers where id = $1', [serverId]);
    await api?.close();
    await stub?.close();
  });

  it('asks before the MCP call, runs it once approved, and gives the model its result', async () => {
    stub.enqueue(toolCallReply([{ name: 'add', arguments: { a: 2, b: 3 } }]), chatCompletion('2 + 3 = 5.'));
    const plan = api.h.compile(
      graph(
        'agent-mcp',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['agent', 'agent', { goal: 'Add {{data.a}} and {{data.b}}', tools: [{ ref: `mcp:${serverId}/add` }] }],
        ],
        ['start.data -> agent.data'],
      ),
    );
    const { handle } = await api.h.start(plan, { data: { a: 2, b: 3 } });
    const task = await until('the approval task for the MCP call', async () => {
      const response = await api.call('GET', `/api/reviews?workflowId=${handle.workflowId}&state=pending`);
      return response.json<{ tasks: { id: string; context: Record<string, unknown> }[] }>().tasks[0];
    });
    expect(task.context).toMatchObject({ tool: 'add', server: serverId, arguments: { a: 2, b: 3 } });
    const offered = chatRequests(stub)[0]?.body.tools as { function: { name: string; parameters: object } }[];
    expect(offered[0]?.function).toMatchObject({
      name: 'add',
      parameters: { properties: { a: { type: 'number' }, b: { type: 'number' } } },
    });

    const decided = await api.call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, {
      decision: 'approved',
      reviewer: 'sam',
      digest: task.context.digest,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({
      answer: '2 + 3 = 5.',
      calls: [{ tool: `mcp:${serverId}/add`, policy: 'ask', decision: 'approved', ok: true }],
    });
    const [fed] = toolResultsIn(chatRequests(stub)[1]);
    expect(JSON.parse(fed?.content ?? '{}')).toMatchObject({ structuredContent: { sum: 5 }, text: '5' });
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(secret);
  });
});
