import type { FromSchema } from 'json-schema-to-ts';
import { confidence, DRAFT_2020_12, idString, provenance, SCHEMA_BASE, sourcePointer, timestamp } from './common.ts';

export const memoryKinds = ['fact', 'message', 'document', 'decision', 'draft', 'correction', 'scope', 'note'] as const;

/** One remembered piece of text with where it came from, how sure we are, and who wrote it. */
export const memoryRecordSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/memory-record.json`,
  title: 'MemoryRecord',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'text', 'kind', 'source', 'confidence', 'createdAt', 'provenance', 'embeddingModel'],
  properties: {
    id: idString,
    text: { type: 'string', minLength: 1, maxLength: 100_000 },
    kind: { enum: memoryKinds },
    projectId: idString,
    clientId: idString,
    source: sourcePointer,
    confidence,
    createdAt: timestamp,
    validTo: timestamp,
    provenance,
    embeddingModel: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export type MemoryRecord = FromSchema<typeof memoryRecordSchema>;
export type MemoryKind = (typeof memoryKinds)[number];
