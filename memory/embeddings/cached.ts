import { sha256Hex } from '../../lib/sha256.ts';
import type { Queryable } from '../../store/db.ts';
import type { Embedder } from '../types.ts';
import { asFloat32 } from './vectors.ts';

export interface EmbeddingCacheOptions {
  /** The source of truth's `embedding_cache` table (migration 0003); without it the cache is per process. */
  db?: Queryable;
  /** In-process entries kept (least recently used go first). */
  maxEntries?: number;
}

export interface EmbeddingCacheStats {
  memoryHits: number;
  databaseHits: number;
  computed: number;
}

export interface CachedEmbedder extends Embedder {
  readonly stats: EmbeddingCacheStats;
}

function contentHash(text: string): string {
  return sha256Hex(text);
}

function toBytes(vector: number[]): Buffer {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

function fromBytes(bytes: Buffer): number[] {
  const floats = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < floats.length; i += 1) floats[i] = bytes.readFloatLE(i * 4);
  return Array.from(floats);
}

/** Embeds each distinct text at most once per model: memory first, then the table, then the model. */
export function cachedEmbedder(
  inner: Embedder,
  { db, maxEntries = 20_000 }: EmbeddingCacheOptions = {},
): CachedEmbedder {
  const memory = new Map<string, number[]>();
  const stats: EmbeddingCacheStats = { memoryHits: 0, databaseHits: 0, computed: 0 };

  const remember = (hash: string, vector: number[]) => {
    memory.delete(hash);
    memory.set(hash, vector);
    if (memory.size > maxEntries) memory.delete(memory.keys().next().value!);
  };

  async function fromDatabase(hashes: string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (!db || hashes.length === 0) return found;
    const { rows } = await db.query<{ content_sha256: string; vector: Buffer }>(
      'select content_sha256, vector from embedding_cache where model = $1 and content_sha256 = any($2::text[])',
      [inner.model, hashes],
    );
    for (const row of rows) found.set(row.content_sha256, fromBytes(row.vector));
    return found;
  }

  async function store(entries: [string, number[]][]): Promise<void> {
    if (!db || entries.length === 0) return;
    await db.query(
      `insert into embedding_cache (model, content_sha256, dimensions, vector)
       select $1, hash, $2, vector from unnest($3::text[], $4::bytea[]) as entry(hash, vector)
       on conflict (model, content_sha256) do nothing`,
      [inner.model, inner.dimensions, entries.map(([hash]) => hash), entries.map(([, vector]) => toBytes(vector))],
    );
  }

  return {
    model: inner.model,
    dimensions: inner.dimensions,
    stats,
    async embed(texts) {
      const hashes = texts.map(contentHash);
      const vectors = new Map<string, number[]>();
      for (const hash of hashes) {
        const hit = memory.get(hash);
        if (hit && !vectors.has(hash)) {
          stats.memoryHits += 1;
          vectors.set(hash, hit);
          remember(hash, hit);
        }
      }
      const missing = [...new Set(hashes.filter((hash) => !vectors.has(hash)))];
      for (const [hash, vector] of await fromDatabase(missing)) {
        stats.databaseHits += 1;
        vectors.set(hash, vector);
        remember(hash, vector);
      }
      const toCompute = missing.filter((hash) => !vectors.has(hash));
      if (toCompute.length > 0) {
        const textOf = new Map(hashes.map((hash, i) => [hash, texts[i]!]));
        const computed = await inner.embed(toCompute.map((hash) => textOf.get(hash)!));
        stats.computed += computed.length;
        const entries = toCompute.map((hash, i): [string, number[]] => [hash, asFloat32(computed[i]!)]);
        for (const [hash, vector] of entries) {
          vectors.set(hash, vector);
          remember(hash, vector);
        }
        await store(entries);
      }
      return hashes.map((hash) => vectors.get(hash)!);
    },
  };
}
