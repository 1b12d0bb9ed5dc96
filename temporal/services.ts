import { createEmbedder, createMemoryStore, embedderOptionsFromEnv } from '../memory/index.ts';
import { BudgetedModelRouter } from '../control/agents/budgeted-router.ts';
import { createModelRouter } from '../models/index.ts';
import type { NodeServices } from '../nodes/sdk/context.ts';
import type { TrellisConfig } from '../services/config.ts';
import { connectDb } from '../store/db.ts';
import { createMailSender } from '../mail/send/sender.ts';
import { loadKeyring } from '../security/keyring.ts';

export type MemoryBackend = 'weaviate' | 'pgvector';

/** TRELLIS_MEMORY_BACKEND: weaviate (default) or pgvector (needs the `vector` extension in DATABASE_URL's server). */
export function memoryBackend(env: NodeJS.ProcessEnv = process.env): MemoryBackend {
  const value = env.TRELLIS_MEMORY_BACKEND?.trim() || 'weaviate';
  if (value !== 'weaviate' && value !== 'pgvector')
    throw new Error(`TRELLIS_MEMORY_BACKEND must be weaviate or pgvector, got "${value}"`);
  return value;
}

/**
 * The clients every node activity may use, built once per worker process from the configuration:
 * the source of truth, memory (with the embedder and its cache), and the model router.
 */
export async function createNodeServices(
  config: TrellisConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeServices & { close(): Promise<void> }> {
  if (!config.postgres.url) throw new Error('DATABASE_URL is not set (trellis up sets it for its worker)');
  const embedded = env.TRELLIS_POSTGRES_EMBEDDED === 'true';
  const db = connectDb({ url: config.postgres.url, embedded });
  const embedder = createEmbedder({ ...embedderOptionsFromEnv(env), cacheDb: db });
  const backend = memoryBackend(env);
  let memory: NodeServices['memory'];
  if (backend === 'weaviate') {
    if (!config.weaviate.url) throw new Error('WEAVIATE_URL is not set (trellis up sets it for its worker)');
    memory = await createMemoryStore({
      backend: 'weaviate',
      connection: {
        url: config.weaviate.url,
        grpcAddress: config.weaviate.grpcAddress ?? `${new URL(config.weaviate.url).hostname}:50051`,
        apiKey: config.weaviate.apiKey,
      },
      embedder,
    });
  } else {
    memory = await createMemoryStore({ backend: 'pgvector', url: config.postgres.url, embedded, embedder });
  }
  // Every automated actor works within its agent's budget (control/agents): over budget, it degrades.
  const models = new BudgetedModelRouter(createModelRouter({ db, env }), db);
  return {
    db,
    memory,
    embedder,
    models,
    now: () => new Date(),
    // The keyring of the data folder (or TRELLIS_KEYRING) opens the accounts' SMTP and IMAP passwords.
    mail: createMailSender(db, () => loadKeyring(config.dataDir, env)),
    // …and the MCP servers' env and header values, for the mcp-tool node.
    keyring: () => loadKeyring(config.dataDir, env),
    async close() {
      await memory.close();
      await db.close();
    },
  };
}
