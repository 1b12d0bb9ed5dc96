import { sha256Hex } from '../lib/sha256.ts';
import { canonicalize } from 'json-canonicalize';
import { assertValid } from '../schemas/ajv.ts';
import { memoryRecordSchema, type MemoryKind, type MemoryRecord } from '../schemas/memory-record.ts';
import { deterministicRecordId } from './record-id.ts';
import { isoInstant } from './time.ts';
import type { NewMemoryRecord } from './types.ts';

/** Fills id (deterministically), createdAt and embeddingModel, normalises instants, validates. */
export function completeRecord(input: NewMemoryRecord, embeddingModel: string, now: string): MemoryRecord {
  const record: MemoryRecord = {
    ...input,
    id: input.id ?? deterministicRecordId(input),
    createdAt: isoInstant(input.createdAt ?? now, 'createdAt'),
    embeddingModel,
  };
  if (input.validTo !== undefined) record.validTo = isoInstant(input.validTo, 'validTo');
  assertValid<MemoryRecord>(memoryRecordSchema, record, 'memory record');
  return record;
}

/** Rejects a batch that names one id twice: which copy would win is not obvious. */
export function assertDistinctIds(records: MemoryRecord[]): void {
  const seen = new Set<string>();
  for (const { id } of records) {
    if (seen.has(id)) throw new RangeError(`memory upsert names record ${id} twice`);
    seen.add(id);
  }
}

/** A human wrote or approved it: a reviewer is named, or it is a correction. */
export function isHumanEdit(record: Pick<MemoryRecord, 'kind' | 'provenance'>): boolean {
  return record.kind === 'correction' || Boolean(record.provenance.reviewer);
}

/** A digest of what a write changed, chained into the index version. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalize(value));
}

/** A record as both backends store it: flat columns/properties, absent values as null. */
export interface FlatRecord {
  id: string;
  text: string;
  kind: string;
  projectId?: string | null;
  clientId?: string | null;
  sourceUri: string;
  sourceVersion: string;
  confidence: number;
  createdAt: Date | string;
  validTo?: Date | string | null;
  workflowId: string;
  nodeId: string;
  reviewer?: string | null;
  embeddingModel: string;
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** Rebuilds the contract's shape, leaving out optional fields the backend had as null. */
export function recordFromFlat(flat: FlatRecord): MemoryRecord {
  const record: MemoryRecord = {
    id: flat.id,
    text: flat.text,
    kind: flat.kind as MemoryKind,
    source: { uri: flat.sourceUri, version: flat.sourceVersion },
    confidence: flat.confidence,
    createdAt: isoInstant(flat.createdAt, 'createdAt'),
    provenance: { workflowId: flat.workflowId, nodeId: flat.nodeId },
    embeddingModel: flat.embeddingModel,
  };
  if (present(flat.projectId)) record.projectId = flat.projectId;
  if (present(flat.clientId)) record.clientId = flat.clientId;
  if (present(flat.validTo)) record.validTo = isoInstant(flat.validTo, 'validTo');
  if (present(flat.reviewer)) record.provenance.reviewer = flat.reviewer;
  return record;
}

/** The flat form of a record, for writing. */
export function flatFromRecord(record: MemoryRecord): FlatRecord {
  return {
    id: record.id,
    text: record.text,
    kind: record.kind,
    projectId: record.projectId ?? null,
    clientId: record.clientId ?? null,
    sourceUri: record.source.uri,
    sourceVersion: record.source.version,
    confidence: record.confidence,
    createdAt: record.createdAt,
    validTo: record.validTo ?? null,
    workflowId: record.provenance.workflowId,
    nodeId: record.provenance.nodeId,
    reviewer: record.provenance.reviewer ?? null,
    embeddingModel: record.embeddingModel,
  };
}
