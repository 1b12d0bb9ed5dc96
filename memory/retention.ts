import { memoryKinds, type MemoryKind } from '../schemas/memory-record.ts';
import { daysBefore, isoInstant } from './time.ts';
import type { RetentionPolicy } from './types.ts';

export interface ExpiryCutoff {
  kind: MemoryKind;
  /** Records of this kind created before this instant are past retention. */
  createdBefore: string;
}

/** What `prune` deletes: one cutoff per kind with a TTL; keep-forever and unlisted kinds have none. */
export function expiryCutoffs(policy: RetentionPolicy, now: string | Date = new Date()): ExpiryCutoff[] {
  const at = isoInstant(now, 'now');
  const cutoffs: ExpiryCutoff[] = [];
  for (const kind of memoryKinds) {
    const rule = policy[kind];
    if (!rule || 'keepForever' in rule) continue;
    if (!(rule.ttlDays >= 0)) throw new RangeError(`ttlDays for ${kind} must be ≥ 0: ${rule.ttlDays}`);
    cutoffs.push({ kind, createdBefore: daysBefore(at, rule.ttlDays) });
  }
  return cutoffs;
}
