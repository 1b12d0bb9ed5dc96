// Long-term memory: one MemoryStore interface over Weaviate and pgvector, and the embedders.
import type { Queryable } from '../store/db.ts';
import { cachedEmbedder, type CachedEmbedder } from './embeddings/cached.ts';
import { openAiCompatibleEmbedder } from './embeddings/openai-compatible.ts';
import { useLiteEmbedder } from './embeddings/use-lite.ts';
import { PgvectorMemoryStore } from './pgvector-store.ts';
import type { Embedder, MemoryStore } from './types.ts';
import type { WeaviateConnection } from './weaviate-connect.ts';
import { WeaviateMemoryStore } from './weaviate-store.ts';

export type * from './types.ts';
export { normaliseQuery, queryFingerprint } from './fingerprint.ts';
export { HUMAN_EDIT_BOOST } from './ranking.ts';
export { deterministicRecordId } from './record-id.ts';
export { USE_LITE_DIMENSIONS, USE_LITE_MODEL } from './embeddings/use-lite.ts';
export { PgvectorMemoryStore, WeaviateMemoryStore };

export type MemoryStoreOptions =
  | { backend: 'weaviate'; connection: WeaviateConnection; collection?: string; embedder: Embedder; now?: () => Date }
  | {
      backend: 'pgvector';
      url: string;
      embedded?: boolean;
      table?: string;
      embedder: Embedder;
      efSearch?: number;
      now?: () => Date;
    };

/** A store for the chosen backend, initialised (collection or tables created if missing). */
export async function createMemoryStore(options: MemoryStoreOptions): Promise<MemoryStore> {
  const store = options.backend === 'weaviate' ? new WeaviateMemoryStore(options) : new PgvectorMemoryStore(options);
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}

export type EmbedderOptions = (
  { tier: 'local' } | { tier: 'provider'; baseUrl: string; model: string; apiKey?: string; dimensions?: number }
) & {
  /** Persist the cache in the source of truth's `embedding_cache`; without it the cache is per process. */
  cacheDb?: Queryable;
};

/** An embedder with its content-hash cache: the offline USE-lite model, or a provider's endpoint. */
export function createEmbedder(options: EmbedderOptions): CachedEmbedder {
  const inner = options.tier === 'local' ? useLiteEmbedder() : openAiCompatibleEmbedder(options);
  return cachedEmbedder(inner, { db: options.cacheDb });
}

/**
 * The provider tier when TRELLIS_EMBEDDINGS_BASE_URL is set (with TRELLIS_EMBEDDINGS_MODEL, and
 * TRELLIS_EMBEDDINGS_API_KEY / TRELLIS_EMBEDDINGS_DIMENSIONS if needed), else the local model.
 */
export function embedderOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EmbedderOptions {
  const baseUrl = env.TRELLIS_EMBEDDINGS_BASE_URL;
  if (!baseUrl) return { tier: 'local' };
  const model = env.TRELLIS_EMBEDDINGS_MODEL;
  if (!model) throw new Error('TRELLIS_EMBEDDINGS_BASE_URL is set but TRELLIS_EMBEDDINGS_MODEL is not');
  const dimensions = env.TRELLIS_EMBEDDINGS_DIMENSIONS ? Number(env.TRELLIS_EMBEDDINGS_DIMENSIONS) : undefined;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions > 0)) {
    throw new Error(`TRELLIS_EMBEDDINGS_DIMENSIONS must be a positive integer: ${env.TRELLIS_EMBEDDINGS_DIMENSIONS}`);
  }
  return {
    tier: 'provider',
    baseUrl,
    model,
    ...(env.TRELLIS_EMBEDDINGS_API_KEY ? { apiKey: env.TRELLIS_EMBEDDINGS_API_KEY } : {}),
    ...(dimensions ? { dimensions } : {}),
  };
}
