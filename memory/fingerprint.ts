import { sha256Hex } from '../lib/sha256.ts';
import { canonicalize } from 'json-canonicalize';
import type { MemoryFilters } from './types.ts';

/** Trimmed, inner whitespace collapsed to one space, lower-cased; what the search actually runs on. */
export function normaliseQuery(query: string): string {
  return query.trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface FingerprintParts {
  query: string;
  /** Already canonical (search-options.ts canonicalFilters). */
  filters: MemoryFilters;
  k: number;
  alpha: number;
  embeddingModel: string;
  indexVersion: string;
}

/** sha256 over the canonical JSON (RFC 8785) of everything that decides a search's result. */
export function queryFingerprint(parts: FingerprintParts): string {
  const payload = canonicalize({ ...parts, query: normaliseQuery(parts.query) });
  return sha256Hex(payload);
}
