import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { chatRequests, toolCallReply } from '../support/agent-model-stub.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { graph } from '../support/graph-builder.ts';
import { until } from '../support/until.ts';

const workerScript = path.resolve(import.meta.dirname, '../support/worker-process.ts');

describe('an agent whose worker is killed mid-loop', () => {
  const services = inject('services');
  let stub: OpenAIStub;
  let server: ApiApp;
  const workers: ChildProcess[] = [];

  async function startWorker(): Promise<ChildProcess> {
    const child = fork(workerScript, [], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: services.temporal.address,
        TEMPORAL_NAMESPACE: services.temporal.namespace,
        TRELLIS_TASK_QUEUE: server.h.taskQueue,
        DATABASE_URL: services.postgres.url,
        TRELLIS_POSTGRES_EMBEDDED: String(services.postgres.embedded),
        TRELLIS_DATA_DIR: services.dataDir,
        TRELLIS_LLM_BASE_URL: stub.baseUrl,
        TRELLIS_LLM_MODEL: 'stub-agent',
        TRELLIS_LLM_API_KEY: 'sk-agent-faults',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    workers.push(child);
    await once(child, 'message');
    return child;
  }

  beforeAll(async () => {
    stub = await startOpenAIStub();
    server = await startApiApp(services, { label: 'agent faults test', harness: { worker: false } });
  });
  afterAll(async () => {
    for (const child of workers) child.kill('SIGKILL');
    await server?.close();
    await stub?.close();
  });

  it('resumes on a new worker without repeating the tool call it completed', async () => {
    stub.enqueue(
      toolCallReply([{ name: 'test_effect', arguments: { value: 'once' } }]),
      toolCallReply([{ name: 'test_echo', arguments: { value: 'after restart' } }]),
      chatCompletion('Both done.'),
    );
    const first = await startWorker();
    const plan = server.h.compile(
      graph(
        'agent-kill',
        [
          ['start', 'trigger', { kind: 'manual' }],
          [
            'agent',
            'agent',
            {
              goal: 'Do it',
              tools: [
                { ref: 'node:test.effect', policy: 'auto' },
                { ref: 'node:test.echo', policy: 'ask' },
              ],
            },
          ],
        ],
        ['start.data -> agent.data'],
      ),
    );
    const { handle } = await server.h.start(plan, { data: {} });
    const key = `${handle.workflowId}/agent/1/1`;

    // The effect ran, and the loop now waits for a person to approve the echo: kill the worker there.
    const task = await until('the approval task of step 2', async () => {
      const response = await server.call('GET', `/api/reviews?workflowId=${handle.workflowId}&state=pending`);
      return response.json<{ tasks: { id: string; context: { digest: string } }[] }>().tasks[0];
    });
    first.kill('SIGKILL');
    await once(first, 'exit');
    const second = await startWorker();

    const decided = await server.call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, {
      decision: 'approved',
      reviewer: 'sam',
      digest: task.context.digest,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const result = await handle.result();
    expect(result.outputs.agent).toMatchObject({
      answer: 'Both done.',
      calls: [
        { tool: 'node:test.effect', ok: true },
        { tool: 'node:test.echo', decision: 'approved', ok: true },
      ],
    });
    const attempts = await server.h.db.query<{ pid: number }>('select pid from test_attempts where key = $1', [key]);
    expect(attempts.rows).toEqual([{ pid: first.pid }]);
    expect(chatRequests(stub)).toHaveLength(3);
    expect(second.pid).not.toBe(first.pid);
  });
});
