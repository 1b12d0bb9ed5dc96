import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModelRouter } from '../../models/index.ts';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import { dbOnlyServices } from '../support/interpreter-harness.ts';
import { startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';

// Issue 19, bad-input row "LLM provider answering garbage or timing out": through the HTTP API, a
// run whose generate node gets garbage (or nothing, in time) from the provider waits on a person
// task carrying the reason; the server stays up.

interface Task {
  id: string;
  kind: string;
  reason?: string;
}

describe('LLM provider answering garbage or timing out', () => {
  const services = inject('services');
  let stub: OpenAIStub;
  let server: ApiApp | undefined;
  let workflowId = '';

  let api: ApiApp['api'];
  const post = (url: string, body: unknown) =>
    api(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** The run's first pending task; fails with what the queue held after 90 s. */
  async function pendingTask(runId: string): Promise<Task> {
    const deadline = Date.now() + 90_000;
    let seen = '';
    while (Date.now() < deadline) {
      const response = await api(`/api/reviews?state=pending&workflowId=${encodeURIComponent(runId)}`);
      const body = (await response.json()) as { tasks?: Task[] };
      seen = JSON.stringify(body);
      if (body.tasks?.[0]) return body.tasks[0];
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(`no pending task for ${runId} within 90 s; last answer: ${seen}`);
  }

  beforeAll(async () => {
    stub = await startOpenAIStub();
    const env = {
      TRELLIS_LLM_BASE_URL: stub.baseUrl,
      TRELLIS_LLM_MODEL: 'stub-writer',
      TRELLIS_LLM_API_KEY: 'test-key',
    };
    server = await startApiApp(services, {
      label: 'bad llm test',
      harness: {
        nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), models: createModelRouter({ db, env }) }),
      },
      listen: true,
    });
    ({ api } = server);
    const g = graph(
      'Draft a reply',
      [
        ['start', 'trigger', { kind: 'manual' }],
        [
          'draft',
          'generate',
          {
            kind: 'reply',
            template: 'Reply to {{data.name}} who asked: {{data.question}}',
            policy: { maxCostUsd: 0.05, maxLatencyMs: 2_000, minConfidence: 0.5 },
          },
        ],
      ],
      ['start.data -> draft.data'],
    );
    const created = await post('/api/workflows', { name: 'Draft a reply', graph: g });
    const body = (await created.json()) as { workflow: { id: string } };
    expect(created.status, JSON.stringify(body)).toBe(201);
    workflowId = body.workflow.id;
    const published = await post(`/api/workflows/${workflowId}/publish`, {});
    expect(published.status, await published.clone().text()).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await stub?.close();
  });

  it.each([
    ['garbage', { text: '<html>502 Bad Gateway</html>' }, /stub-writer malformed reply/],
    ['no answer in time', { hang: true }, /stub-writer timed out after \d+ ms/],
  ] as const)(
    'gives a person the draft to write, with the reason, when the provider answers %s',
    async (_what, reply, reason) => {
      stub.reset();
      stub.onChat(() => reply);
      const started = await post(`/api/workflows/${workflowId}/runs`, {
        input: { data: { name: 'Ada', question: 'Can you redesign our site by June?' } },
      });
      const run = (await started.json()) as { runId: string };
      expect(started.status, JSON.stringify(run)).toBe(202);
      const task = await pendingTask(run.runId);
      expect(task.reason).toMatch(reason);
      expect(stub.requests.length).toBeGreaterThan(0);
      expect((await api('/api/webhook-sources')).status).toBe(200);
    },
    120_000,
  );
});
