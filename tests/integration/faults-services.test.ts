import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningService } from '../../services/service.ts';
import { startTemporal, type TemporalEndpoint } from '../../services/temporal.ts';
import { startWeaviate, type WeaviateEndpoint } from '../../services/weaviate.ts';
import { createEmbedder, createMemoryStore } from '../../memory/index.ts';
import { createModelRouter } from '../../models/index.ts';
import type { MemoryStore } from '../../memory/types.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { connectClient } from '../../temporal/client.ts';
import { decide, runStatus, startRun } from '../../temporal/runs.ts';
import { createWorker } from '../../temporal/worker.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices, quietTemporalRuntime, testRegistry } from '../support/interpreter-harness.ts';
import { isolatedConfig } from '../setup/test-stack.ts';

const log = () => {};

async function waitingTask(client: Awaited<ReturnType<typeof connectClient>>, workflowId: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const [taskId] = (await runStatus(client, workflowId).catch(() => undefined))?.waitingTasks ?? [];
    if (taskId) return taskId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no task');
}

describe('Temporal dev server stopped and restarted during a run', () => {
  it('resumes the run from its persisted history', async () => {
    quietTemporalRuntime();
    const config = await isolatedConfig({ ...process.env, TEMPORAL_ADDRESS: '' }, 'trellis-fault-temporal-');
    let temporal: RunningService<TemporalEndpoint> | undefined = await startTemporal(
      config.temporal,
      config.dataDir,
      config.cacheDir,
      log,
    );
    const db = connectDb(inject('services').postgres);
    const registry = await testRegistry();
    const taskQueue = `fault-${randomUUID()}`;
    const { worker, close } = await createWorker({
      ...temporal.endpoint,
      taskQueue,
      registry,
      services: dbOnlyServices(db),
    });
    const running = worker.run();
    try {
      let client = await connectClient(temporal.endpoint);
      const compiled = compileGraph(
        graph(
          'durable',
          [
            ['start', 'trigger', { kind: 'manual' }],
            ['review', 'human-review', { instructions: 'ok?', timeoutMinutes: 60, onTimeout: 'reject' }],
            ['after', 'test.echo'],
          ],
          ['start.data -> review.value', 'review.value -> after.value'],
        ),
        registry,
      );
      if (!compiled.ok) throw new Error('compile');
      const { handle } = await startRun(client, {
        taskQueue,
        plan: compiled.plan,
        workflow: { id: 'wf', version: 1 },
        trigger: { data: { n: 1 } },
        idempotencyKey: randomUUID(),
      });
      const taskId = await waitingTask(client, handle.workflowId);
      await client.connection.close();

      await temporal.stop();
      temporal = undefined;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      temporal = await startTemporal(config.temporal, config.dataDir, config.cacheDir, log);

      client = await connectClient(temporal.endpoint);
      await decide(client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' }, { timeoutMs: 60_000 });
      const result = await client.workflow.getHandle(handle.workflowId).result();
      expect(result).toMatchObject({ status: 'completed', outputs: { after: { value: { n: 1 } } } });
      const ledger = await fetchLedger(client, handle.workflowId);
      expect(ledger.entries.map((e) => e.status)).toEqual(['completed', 'completed', 'completed']);
      await client.connection.close();
    } finally {
      worker.shutdown();
      await running.catch(() => {});
      await close();
      await db.close();
      await temporal?.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('Weaviate down during retrieval', () => {
  let config: Awaited<ReturnType<typeof isolatedConfig>>;
  let weaviate: RunningService<WeaviateEndpoint> | undefined;
  let memory: MemoryStore;
  let db: Db;

  beforeAll(async () => {
    config = await isolatedConfig({ ...process.env, WEAVIATE_URL: '' }, 'trellis-fault-weaviate-');
    weaviate = await startWeaviate(config.weaviate, config.dataDir, config.cacheDir, log);
    db = connectDb(inject('services').postgres);
    memory = await createMemoryStore({
      backend: 'weaviate',
      connection: weaviate.endpoint,
      collection: 'FaultMemory',
      embedder: createEmbedder({ tier: 'local', cacheDb: db }),
    });
    await memory.upsert([
      {
        text: 'The retainer is 2,000 EUR a month.',
        kind: 'fact',
        source: { uri: 'doc://terms', version: '1' },
        confidence: 1,
        provenance: { workflowId: 'seed', nodeId: 'seed' },
      },
    ]);
  });
  afterAll(async () => {
    await memory.close().catch(() => {});
    await weaviate?.stop();
    await db.close();
    rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('retries, then asks a person, and works again once Weaviate is back', async () => {
    quietTemporalRuntime();
    const services = inject('services');
    const registry = await testRegistry();
    const taskQueue = `fault-${randomUUID()}`;
    const nodeServices = { ...dbOnlyServices(db), memory, models: createModelRouter({ db, env: {} }) };
    const { worker, close } = await createWorker({ ...services.temporal, taskQueue, registry, services: nodeServices });
    const client = await connectClient(services.temporal);
    const plan = compileGraph(
      graph(
        'ask',
        [
          ['start', 'trigger', { kind: 'manual' }],
          ['q', 'transform', { expression: 'q' }],
          ['find', 'retrieve', { scope: 'all', k: 3 }],
        ],
        ['start.data -> q.value', 'q.value -> find.query'],
      ),
      registry,
    );
    if (!plan.ok) throw new Error('compile');
    const start = () =>
      startRun(client, {
        taskQueue,
        plan: plan.plan,
        workflow: { id: 'wf', version: 1 },
        trigger: { data: { q: 'retainer' } },
        idempotencyKey: randomUUID(),
      });
    await worker.runUntil(async () => {
      await weaviate?.stop();
      weaviate = undefined;
      const down = await start();
      const taskId = await waitingTask(client, down.handle.workflowId);
      const task = await db.query<{ kind: string; reason: string }>(
        'select kind, reason from review_tasks where id = $1',
        [taskId],
      );
      expect(task.rows[0]?.kind).toBe('fallback');
      expect(task.rows[0]?.reason).toMatch(/memory unavailable after 3 attempts/);
      await decide(client, down.handle.workflowId, { taskId, decision: 'approved', reviewer: 'ana' });
      const degraded = await down.handle.result();
      expect(degraded.outputs.find).toEqual({
        context: expect.objectContaining({ fingerprint: 'unavailable', ids: [] }),
      });
      const ledger = await fetchLedger(client, down.handle.workflowId);
      expect(ledger.entries.find((e) => e.nodeId === 'find')).toMatchObject({ tier: 'human', attempt: 3 });

      weaviate = await startWeaviate(config.weaviate, config.dataDir, config.cacheDir, log);
      const back = await (await start()).handle.result();
      const context = back.outputs.find?.context as { records: { record: { text: string } }[] };
      expect(context.records[0]?.record.text).toContain('2,000 EUR');
    });
    await close();
    await client.connection.close();
  }, 180_000);
});
