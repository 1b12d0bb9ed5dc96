import { memoryKinds, type MemoryKind } from '../schemas/memory-record.ts';
import { isoInstant } from './time.ts';
import type { MemoryFilters, SearchOptions } from './types.ts';

export const DEFAULT_K = 8;
export const MAX_K = 100;
export const DEFAULT_ALPHA = 0.5;

/** Filters in one canonical form: instants as ISO, kinds sorted and unique, empty fields dropped. */
export function canonicalFilters(filters: MemoryFilters = {}): MemoryFilters {
  const out: MemoryFilters = {};
  if (filters.projectId !== undefined) out.projectId = filters.projectId;
  if (filters.clientId !== undefined) out.clientId = filters.clientId;
  if (filters.sourceUri !== undefined) out.sourceUri = filters.sourceUri;
  if (filters.kinds !== undefined) {
    for (const kind of filters.kinds) {
      if (!memoryKinds.includes(kind)) throw new RangeError(`unknown memory kind: ${String(kind)}`);
    }
    out.kinds = [...new Set<MemoryKind>(filters.kinds)].sort();
  }
  if (filters.createdAfter !== undefined) out.createdAfter = isoInstant(filters.createdAfter, 'createdAfter');
  if (filters.createdBefore !== undefined) out.createdBefore = isoInstant(filters.createdBefore, 'createdBefore');
  if (filters.asOf !== undefined) out.asOf = isoInstant(filters.asOf, 'asOf');
  return out;
}

export interface ResolvedSearch {
  filters: MemoryFilters;
  k: number;
  alpha: number;
  /** How many hits each leg fetches before fusion, the human-edit lift and the cut to k. */
  candidates: number;
}

export function resolveSearchOptions(options: SearchOptions = {}): ResolvedSearch {
  const k = options.k ?? DEFAULT_K;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new RangeError(`k must be an integer in 1..${MAX_K}: ${k}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1]: ${alpha}`);
  return { filters: canonicalFilters(options.filters), k, alpha, candidates: candidateCount(k) };
}

/** Enough beyond k that a lifted human edit or a near tie just past k can still make the cut. */
export function candidateCount(k: number): number {
  return Math.min(Math.max(4 * k, 40), 200);
}
