import { Client, Connection } from '@temporalio/client';
import { createEmbedder, createMemoryStore, embedderOptionsFromEnv } from '../../memory/index.ts';
import type { Embedder, MemoryStore } from '../../memory/types.ts';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import { loadPlugins, pluginSourcesFromEnv } from '../../nodes/plugins.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import { loadKeyring, type Keyring } from '../../security/keyring.ts';
import type { TrellisConfig } from '../../services/config.ts';
import { connectDb, type Db } from '../../store/db.ts';
import { createPayloadCodec } from '../../temporal/codec/index.ts';
import { memoryBackend } from '../../temporal/services.ts';
import { lazy, type AppServices } from '../plugins/app/services.ts';
import { onceUp } from './service-starting.ts';

/** Parts a caller (a test, a benchmark) already holds; the app uses them and leaves them open. */
export interface ServiceParts {
  db?: Db;
  temporal?: Client;
  registry?: NodeRegistry;
  memory?: MemoryStore;
  embedder?: Embedder;
  keyring?: Keyring;
}

function missingDb(): Db {
  const refuse = () => Promise.reject(new Error('DATABASE_URL is not set (trellis up sets it for its server)'));
  return { query: refuse, transaction: refuse, close: () => Promise.resolve() };
}

async function defaultRegistry(log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<NodeRegistry> {
  const registry = createBuiltinRegistry();
  const report = await loadPlugins(registry, pluginSourcesFromEnv(env));
  for (const refused of report.refused) log(`plugin refused: ${refused.source}: ${refused.reason}`);
  return registry;
}

/** The server's clients, built from the configuration except for the parts given. */
export async function createAppServices(
  config: TrellisConfig,
  parts: ServiceParts = {},
  { env = process.env, log = () => {} }: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<AppServices> {
  const embedded = env.TRELLIS_POSTGRES_EMBEDDED === 'true';
  const db = parts.db ?? (config.postgres.url ? connectDb({ url: config.postgres.url, embedded }) : missingDb());
  const registry = parts.registry ?? (await defaultRegistry(log, env));
  const keyring = parts.keyring ?? loadKeyring(config.dataDir, env);

  const temporal = lazy(() =>
    Promise.resolve().then(() => {
      if (parts.temporal) return parts.temporal;
      if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set (trellis up sets it for its server)');
      // The server reads histories for the ledger: an erased client's payloads read as a marker.
      const encryption = createPayloadCodec({ db, dataDir: config.dataDir, onErased: 'marker', env });
      // Lazy: a server started while Temporal is down still answers, and ingest defers its runs
      // (server/lib/run-start-outbox.ts) instead of waiting out a connect timeout per request.
      return new Client({
        connection: Connection.lazy({ address: config.temporal.address }),
        namespace: config.temporal.namespace,
        ...(encryption ? { dataConverter: { payloadCodecs: [encryption.codec] } } : {}),
      });
    }),
  );

  const embedder = lazy(() =>
    Promise.resolve().then(() => parts.embedder ?? createEmbedder({ ...embedderOptionsFromEnv(env), cacheDb: db })),
  );

  const memory = lazy(async () => {
    if (parts.memory) return parts.memory;
    const shared = await embedder.get();
    if (memoryBackend(env) === 'pgvector') {
      if (!config.postgres.url) throw new Error('DATABASE_URL is not set');
      return createMemoryStore({ backend: 'pgvector', url: config.postgres.url, embedded, embedder: shared });
    }
    if (!config.weaviate.url) throw new Error('WEAVIATE_URL is not set (trellis up sets it for its server)');
    return createMemoryStore({
      backend: 'weaviate',
      connection: {
        url: config.weaviate.url,
        grpcAddress: config.weaviate.grpcAddress ?? `${new URL(config.weaviate.url).hostname}:50051`,
        apiKey: config.weaviate.apiKey,
      },
      embedder: shared,
    });
  });

  return {
    db,
    registry,
    keyring,
    // While `trellis up` still builds or starts a service, what needs it is told so at once (503).
    temporal: (options = {}) =>
      options.evenWhileStarting ? temporal.get() : onceUp('temporal', env, () => temporal.get()),
    memory: () =>
      memoryBackend(env) === 'pgvector' || parts.memory ? memory.get() : onceUp('weaviate', env, () => memory.get()),
    embedder: () => embedder.get(),
    async close() {
      // Only what was opened here is closed; given parts belong to the caller.
      if (!parts.memory)
        await memory.current()?.then(
          (store) => store.close(),
          () => {},
        );
      if (!parts.temporal)
        await temporal.current()?.then(
          (client) => client.connection.close(),
          () => {},
        );
      if (!parts.db) await db.close();
    },
  };
}
