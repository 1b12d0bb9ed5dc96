import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import { loadPlugins } from '../../nodes/plugins.ts';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { createEmbedder, createMemoryStore } from '../../memory/index.ts';
import { createModelRouter } from '../../models/index.ts';
import { connectClient } from '../../temporal/client.ts';
import { createPayloadCodec } from '../../temporal/codec/index.ts';
import { startRun } from '../../temporal/runs.ts';
import { createWorker } from '../../temporal/worker.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';
import { compileGraph } from '../../workflows/compile.ts';
import type { TestServices } from '../setup/test-stack.ts';

export const testPluginDir = path.resolve(import.meta.dirname, '../fixtures/plugins');

function unavailable(name: string): never {
  throw new Error(`${name} is not configured in this test`);
}

/** Node services with the real database; the parts a test does not use refuse loudly. */
export function dbOnlyServices(db: Db): NodeServices {
  const refuse = (name: string) => new Proxy({}, { get: () => unavailable(name) });
  return {
    db,
    memory: refuse('memory') as NodeServices['memory'],
    embedder: refuse('embedder') as NodeServices['embedder'],
    models: refuse('models') as NodeServices['models'],
    now: () => new Date(),
  };
}

let runtimeQuiet = false;

/** Worker logs at WARN in tests: the interesting output is the assertions'. */
export function quietTemporalRuntime(): void {
  if (runtimeQuiet) return;
  runtimeQuiet = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export async function testRegistry(): Promise<NodeRegistry> {
  const registry = createBuiltinRegistry();
  const report = await loadPlugins(registry, { dir: testPluginDir });
  if (report.refused.length > 0) throw new Error(`test plugins refused: ${JSON.stringify(report.refused)}`);
  return registry;
}

/** Payload encryption as the product's worker and server build it, with a keyring in `dataDir`. */
export function productCodecs(dataDir: string): (db: Db) => { worker: PayloadCodec; client: PayloadCodec } {
  const codec = (db: Db, onErased: 'marker' | 'throw') => {
    const built = createPayloadCodec({ db, dataDir, onErased, env: {} });
    if (!built) throw new Error('payload encryption is off');
    return built.codec;
  };
  return (db) => ({ worker: codec(db, 'throw'), client: codec(db, 'marker') });
}

export interface Harness {
  client: Client;
  db: Db;
  registry: NodeRegistry;
  taskQueue: string;
  compile(graph: WorkflowGraph): ExecutionPlan;
  start(
    plan: ExecutionPlan,
    trigger?: RunInput['trigger'],
    options?: { key?: string; extra?: Parameters<typeof startRun>[1]['extra'] },
  ): ReturnType<typeof startRun>;
  close(): Promise<void>;
}

/**
 * Real node services: the database, memory in its own Weaviate collection (or PGlite's pgvector),
 * the USE-lite embedder, and the model router with no provider unless the env names one.
 */
export async function realServices(
  services: TestServices,
  db: Db,
  { backend = 'weaviate', env = {} }: { backend?: 'weaviate' | 'pgvector'; env?: NodeJS.ProcessEnv } = {},
): Promise<NodeServices & { close(): Promise<void> }> {
  const embedder = createEmbedder({ tier: 'local', cacheDb: db });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const memory =
    backend === 'weaviate'
      ? await createMemoryStore({ backend, connection: services.weaviate, collection: `Test${suffix}`, embedder })
      : await createMemoryStore({
          backend,
          url: services.pglite.url,
          embedded: true,
          table: `memory_${suffix}`,
          embedder,
        });
  return {
    db,
    memory,
    embedder,
    models: createModelRouter({ db, env }),
    now: () => new Date(),
    close: () => memory.close(),
  };
}

/** A real worker on its own task queue, the real database, and a client: what the interpreter tests run on. */
export async function startHarness(
  services: TestServices,
  options: {
    worker?: boolean;
    nodeServices?: (db: Db) => Promise<NodeServices>;
    /**
     * Payload encryption (temporal/codec) as the product's worker and server build it from the
     * database: by default with the keyring in the services' data folder, so every test's histories
     * are encrypted as in production. `false` only for histories kept unencrypted on purpose.
     */
    codecs?: ((db: Db) => { worker: PayloadCodec; client: PayloadCodec }) | false;
  } = {},
): Promise<Harness> {
  const registry = await testRegistry();
  const db = connectDb(services.postgres);
  const codecs = options.codecs === false ? undefined : (options.codecs ?? productCodecs(services.dataDir))(db);
  const client = await connectClient({ ...services.temporal, ...(codecs ? { payloadCodec: codecs.client } : {}) });
  const taskQueue = `test-${randomUUID()}`;
  let stopWorker = async () => {};
  if (options.worker !== false) {
    quietTemporalRuntime();
    const nodeServices = options.nodeServices ? await options.nodeServices(db) : dbOnlyServices(db);
    const { worker, close } = await createWorker({
      ...services.temporal,
      taskQueue,
      registry,
      services: nodeServices,
      ...(codecs ? { payloadCodec: codecs.worker } : {}),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await close();
    };
  }
  return {
    client,
    db,
    registry,
    taskQueue,
    compile(graph) {
      const result = compileGraph(graph, registry);
      if (!result.ok) throw new Error(`graph does not compile: ${result.errors.map((e) => e.message).join('; ')}`);
      return result.plan;
    },
    start(plan, trigger = { data: {} }, { key = randomUUID(), extra } = {}) {
      return startRun(client, {
        taskQueue,
        plan,
        workflow: { id: 'wf-test', version: 1 },
        trigger,
        idempotencyKey: key,
        ...(extra ? { extra } : {}),
      });
    },
    async close() {
      await stopWorker();
      await client.connection.close();
      await db.close();
    },
  };
}
