import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.ts';

/**
 * A stored model reply. The raw text is kept rather than the parsed value so that a hit is
 * parsed (and validated) again by the caller's current parser: no cast, and a stale entry
 * whose shape no longer fits simply misses.
 */
export interface CachedReply {
  key: string;
  model: string;
  tier: 'local' | 'provider';
  text: string;
  finishReason: string | null;
  /** What producing it cost, which a hit saves. */
  tokens: number;
  costUsd: number;
}

interface CacheRow {
  key: string;
  model: string;
  tier: 'local' | 'provider';
  output: { text?: unknown; finishReason?: unknown };
  tokens: number;
  cost_usd: number;
}

/** The `model_cache` key: the request's own key, for this node type and this model. */
export function modelCacheKey(nodeType: string, requestKey: string, model: string): string {
  return createHash('sha256')
    .update(JSON.stringify([nodeType, requestKey, model]))
    .digest('hex');
}

/** The first of `keys` (in order of preference) that is stored; counts the hit. */
export async function readCachedReply(db: Queryable, keys: string[]): Promise<CachedReply | undefined> {
  if (keys.length === 0) return undefined;
  const { rows } = await db.query<CacheRow>(
    'select key, model, tier, output, tokens, cost_usd from model_cache where key = any($1::text[])',
    [keys],
  );
  const row = keys.map((key) => rows.find((candidate) => candidate.key === key)).find((found) => found);
  if (!row || typeof row.output.text !== 'string') return undefined;
  await db.query('update model_cache set hits = hits + 1, last_hit_at = now() where key = $1', [row.key]);
  return {
    key: row.key,
    model: row.model,
    tier: row.tier,
    text: row.output.text,
    finishReason: typeof row.output.finishReason === 'string' ? row.output.finishReason : null,
    tokens: row.tokens,
    costUsd: row.cost_usd,
  };
}

export async function writeCachedReply(db: Queryable, nodeType: string, reply: CachedReply): Promise<void> {
  // jsonb goes in as text: pg would turn a JS array into a PostgreSQL array literal.
  await db.query(
    `insert into model_cache (key, node_type, tier, model, output, tokens, cost_usd)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7)
     on conflict (key) do update set tier = excluded.tier, model = excluded.model, output = excluded.output,
       tokens = excluded.tokens, cost_usd = excluded.cost_usd, created_at = now()`,
    [
      reply.key,
      nodeType,
      reply.tier,
      reply.model,
      JSON.stringify({ text: reply.text, finishReason: reply.finishReason }),
      reply.tokens,
      reply.costUsd,
    ],
  );
}
