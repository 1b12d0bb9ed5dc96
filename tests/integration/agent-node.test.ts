import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createModelRouter } from '../../models/index.ts';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { chatRequests, stubRouter, toolCallReply, toolResultsIn } from '../support/agent-model-stub.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices } from '../support/interpreter-harness.ts';
import { until } from '../support/until.ts';

// The agent node through the real interpreter on the Temporal dev server: each model call goes to
// an OpenAI-compatible stub scripted with tool calls; decisions go through the review API.

interface Task {
  id: string;
  kind: string;
  reason?: string;
  context: { digest?: string; arguments?: unknown; tool?: string; ref?: string; policyVersion?: string };
  proposed?: unknown;
}

type Tools = { ref: string; policy?: string; config?: Record<string, unknown> }[];

const agentGraph = (tools: Tools, budget?: Record<string, number>) =>
  graph(
    'agent',
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['agent', 'agent', { goal: 'Handle {{data.request}}', tools, ...(budget ? { budget } : {}) }],
    ],
    ['start.data -> agent.data'],
  );

describe('agent node', () => {
  const services = inject('services');
  let stub: OpenAIStub;
  let server: ApiApp;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    server = await startApiApp(services, {
      label: 'agent node test',
      harness: { nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), models: stubRouter(db, stub) }) },
    });
  });
  afterAll(async () => {
    await server?.close();
    await stub?.close();
  });
  beforeEach(() => stub.reset());

  const start = async (tools: Tools, budget?: Record<string, number>) => {
    const plan = server.h.compile(agentGraph(tools, budget));
    const { handle } = await server.h.start(plan, { data: { request: 'the Acme order' } });
    return handle;
  };

  /** The run's pending review task; fails after 30 s naming what the run was doing. */
  const pendingTask = (handle: WorkflowHandle, reason?: RegExp) =>
    until(`a pending review task of ${handle.workflowId}${reason ? ` matching ${String(reason)}` : ''}`, async () => {
      const response = await server.call('GET', `/api/reviews?workflowId=${handle.workflowId}&state=pending`);
      const tasks = response.json<{ tasks: Task[] }>().tasks;
      return tasks.find((task) => !reason || reason.test(task.reason ?? ''));
    });

  const decide = (taskId: string, body: Record<string, unknown>) =>
    server.call('POST', `/api/reviews/${encodeURIComponent(taskId)}/decision`, { reviewer: 'sam', ...body });

  const effectRows = async (key: string) =>
    (
      await server.h.db
        .query<{ value: unknown }>('select value from test_effects where key = $1', [key])
        .catch(() => ({ rows: [] as { value: unknown }[] }))
    ).rows;

  const agentActivityIds = async (handle: WorkflowHandle) =>
    (await handle.fetchHistory()).events
      ?.map((event) => event.activityTaskScheduledEventAttributes?.activityId)
      .filter((id): id is string => typeof id === 'string' && id.startsWith('agent/')) ?? [];

  it('runs an auto tool and gives its result to the next model call, each step its own activity', async () => {
    stub.enqueue(
      toolCallReply([{ name: 'test_echo', arguments: { value: { order: 'A-17' } } }]),
      chatCompletion('Order A-17 is handled.'),
    );
    const handle = await start([{ ref: 'node:test.echo' }]);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({
      answer: 'Order A-17 is handled.',
      steps: 2,
      calls: [{ tool: 'node:test.echo', policy: 'auto', ok: true }],
      usage: { tokens: expect.any(Number) as number },
    });
    const [first, second] = chatRequests(stub);
    expect((first?.body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['test_echo']);
    expect(toolResultsIn(second)).toEqual([{ id: 'call_1', content: JSON.stringify({ value: { order: 'A-17' } }) }]);
    expect(await agentActivityIds(handle)).toEqual([
      'agent/agent/prepare',
      'agent/agent/1/think',
      'agent/agent/1/tool/1',
      'agent/agent/2/think',
    ]);
    // The ledger reads every step, its tokens and its cost back from the history.
    const ledger = (await server.call('GET', `/api/runs/${handle.workflowId}/ledger`)).json<{
      entries: { nodeId: string; output?: unknown; notes?: string[]; tier?: string; agent?: unknown }[];
      totals: { tokens: number };
    }>();
    const entry = ledger.entries.find((e) => e.nodeId === 'agent');
    expect(entry?.output).toMatchObject({ answer: 'Order A-17 is handled.' });
    expect(entry?.tier).toBe('provider');
    expect(entry?.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1\/think: calls test_echo; 30 tokens/),
        '1/tool/1: node:test.echo ran',
        expect.stringMatching(/^budget 8 steps, 20000 tokens, .*; tools: node:test.echo \(auto\)$/),
        expect.stringMatching(/^2\/think: answers;/),
      ]),
    );
    // The same steps as data, with the budget beside what was used: the inspector's agent timeline.
    expect(entry?.agent).toMatchObject({
      budget: { maxSteps: 8, maxTokens: 20000 },
      used: { steps: 2, tokens: ledger.totals.tokens },
      steps: [
        { id: '1/think', kind: 'think', step: 1, summary: 'calls test_echo', ok: true },
        { id: '1/tool/1', kind: 'tool', step: 1, call: 1, tool: 'node:test.echo', policy: 'auto', ok: true },
        { id: '2/think', kind: 'think', step: 2, summary: 'answers', ok: true },
      ],
    });
    expect(ledger.totals.tokens).toBe(
      result.outputs.agent?.usage && (result.outputs.agent.usage as { tokens: number }).tokens,
    );
  });

  it('asks before a side-effecting tool, waits, and runs it exactly once when approved', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_effect', arguments: { value: 'ship' } }]), chatCompletion('Shipped.'));
    const handle = await start([{ ref: 'node:test.effect' }]);
    const key = `${handle.workflowId}/agent/1/1`;
    const task = await pendingTask(handle);
    expect(task.id).toBe(`${handle.workflowId}:agent:1:1`);
    expect(task.context).toMatchObject({ ref: 'node:test.effect', arguments: { value: 'ship' } });
    expect(task.context.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await effectRows(key)).toEqual([]);
    expect(chatRequests(stub)).toHaveLength(1);

    const decided = await decide(task.id, { decision: 'approved', digest: task.context.digest });
    expect(decided.statusCode, decided.body).toBe(200);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({
      answer: 'Shipped.',
      calls: [{ tool: 'node:test.effect', policy: 'ask', decision: 'approved', ok: true }],
    });
    expect(await effectRows(key)).toEqual([{ value: 'ship' }]);
    const attempts = await server.h.db.query('select 1 from test_attempts where key = $1', [key]);
    expect(attempts.rowCount).toBe(1);
    const ledger = (await server.call('GET', `/api/runs/${handle.workflowId}/ledger`)).json<{
      entries: { nodeId: string; status: string; approvals: { taskId: string; decision: string }[] }[];
    }>();
    expect(ledger.entries.find((e) => e.nodeId === 'agent')).toMatchObject({
      status: 'completed',
      approvals: [{ taskId: task.id, decision: 'approved' }],
    });
  });

  it('runs the edited arguments when the reviewer edits them', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_effect', arguments: { value: 'ship' } }]), chatCompletion('Done.'));
    const handle = await start([{ ref: 'node:test.effect' }]);
    const task = await pendingTask(handle);
    const decided = await decide(task.id, { decision: 'edited', value: { value: 'hold' } });
    expect(decided.statusCode, decided.body).toBe(200);
    await handle.result();
    expect(await effectRows(`${handle.workflowId}/agent/1/1`)).toEqual([{ value: 'hold' }]);
  });

  it('feeds a rejection and its reason back to the model, and the tool does not run', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_effect', arguments: { value: 'ship' } }]), chatCompletion('Held.'));
    const handle = await start([{ ref: 'node:test.effect' }]);
    const task = await pendingTask(handle);
    await decide(task.id, { decision: 'rejected', note: 'the client has not paid yet' });
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({ calls: [{ decision: 'rejected', ok: false }] });
    const [fed] = toolResultsIn(chatRequests(stub)[1]);
    expect(fed?.content).toContain('Rejected by sam: the client has not paid yet');
    expect(await effectRows(`${handle.workflowId}/agent/1/1`)).toEqual([]);
  });

  it('refuses a decision whose digest is not the waiting call’s', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_effect', arguments: { value: 'ship' } }]), chatCompletion('Held.'));
    const handle = await start([{ ref: 'node:test.effect' }]);
    const task = await pendingTask(handle);
    const stale = await decide(task.id, { decision: 'approved', digest: 'a'.repeat(64) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('waits on node:test.effect call');
    expect(await effectRows(`${handle.workflowId}/agent/1/1`)).toEqual([]);
    await decide(task.id, { decision: 'rejected', note: 'no' });
    await handle.result();
    expect(await effectRows(`${handle.workflowId}/agent/1/1`)).toEqual([]);
  });

  it('tells the model which field of its arguments is wrong, without running the tool', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: { wrong: 1 } }]), chatCompletion('Sorry.'));
    const handle = await start([{ ref: 'node:test.echo' }]);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({ calls: [{ tool: 'node:test.echo', policy: 'auto', ok: false }] });
    expect(toolResultsIn(chatRequests(stub)[1])[0]?.content).toMatch(
      /^The arguments are invalid: \/arguments.*must have required property 'value'/,
    );
  });

  it('answers a denied tool with the refusal', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: { value: 1 } }]), chatCompletion('Could not.'));
    const handle = await start([{ ref: 'node:test.echo', policy: 'deny' }]);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({ calls: [{ tool: 'node:test.echo', policy: 'deny', ok: false }] });
    expect(toolResultsIn(chatRequests(stub)[1])[0]?.content).toContain('Refused by policy');
  });

  it('stops at the step budget into a person task with the reason, and the person’s answer is the output', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: { value: 1 } }]));
    const handle = await start([{ ref: 'node:test.echo' }], { maxSteps: 1 });
    const task = await pendingTask(handle, /step budget spent: 1 of 1/);
    expect(task.kind).toBe('fallback');
    await decide(task.id, { decision: 'edited', value: { answer: 'Done by hand.' } });
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({ answer: 'Done by hand.', steps: 1, finishedBy: 'sam' });
    expect(result.nodes.find((node) => node.id === 'agent')?.reason).toMatch(/step budget spent/);
    expect(chatRequests(stub)).toHaveLength(1);
  });

  it('stops at the token budget into a person task', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: { value: 1 } }], { promptTokens: 400 }));
    const handle = await start([{ ref: 'node:test.echo' }], { maxTokens: 100 });
    const task = await pendingTask(handle, /token budget spent: 410 of 100/);
    await decide(task.id, { decision: 'rejected', note: 'not needed' });
    const result = await handle.result();
    expect(result.nodes.find((node) => node.id === 'agent')).toMatchObject({ status: 'skipped' });
  });

  it('stops at the wall-time budget, measured in workflow time, before the next call', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: { value: 1 } }]));
    const handle = await start([{ ref: 'node:test.echo' }], { maxWallMs: 1 });
    const task = await pendingTask(handle, /^time budget spent/);
    await decide(task.id, { decision: 'rejected' });
    await handle.result();
    expect(await agentActivityIds(handle)).toEqual(['agent/agent/prepare', 'agent/agent/1/think']);
  });

  it('ends into a person task when the same call is asked for three times', async () => {
    const same = () => toolCallReply([{ name: 'test_echo', arguments: { value: { same: true } } }]);
    stub.enqueue(same(), same(), same());
    const handle = await start([{ ref: 'node:test.echo' }]);
    const task = await pendingTask(handle, /loop detected: test_echo requested 3 times/);
    await decide(task.id, { decision: 'rejected' });
    await handle.result();
    expect(chatRequests(stub)).toHaveLength(3);
  });

  it('fails clearly when the model sends arguments that are not JSON, into a person task', async () => {
    stub.enqueue(toolCallReply([{ name: 'test_echo', arguments: '{"value": ' }]));
    const handle = await start([{ ref: 'node:test.echo' }]);
    const task = await pendingTask(handle, /no model could answer/);
    expect(task.reason).toContain('tool call "test_echo" has arguments that are not JSON');
    await decide(task.id, { decision: 'rejected' });
    await handle.result();
  });
});

describe('agent node without a model provider', () => {
  const services = inject('services');
  let server: ApiApp;

  beforeAll(async () => {
    server = await startApiApp(services, {
      label: 'agent node no provider',
      harness: {
        nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), models: createModelRouter({ db, env: {} }) }),
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('becomes a person task, as other model steps do', async () => {
    const plan = server.h.compile(agentGraph([{ ref: 'node:test.echo' }]));
    const { handle } = await server.h.start(plan, { data: { request: 'x' } });
    const task = await until('the hand-over task', async () => {
      const response = await server.call('GET', `/api/reviews?workflowId=${handle.workflowId}&state=pending`);
      return response.json<{ tasks: Task[] }>().tasks[0];
    });
    expect(task.reason).toMatch(/no model could answer: .*no LLM provider configured/);
    await server.call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, {
      decision: 'edited',
      value: { answer: 'Written by a person.' },
    });
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({ answer: 'Written by a person.', steps: 1 });
  });
});
