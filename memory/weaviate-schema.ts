import weaviate, { type CollectionConfigCreate } from 'weaviate-client';
import type { MemoryRecord } from '../schemas/memory-record.ts';
import { objectUuid } from './record-id.ts';
import { flatFromRecord, recordFromFlat, type FlatRecord } from './records.ts';

/**
 * How a MemoryRecord is stored in Weaviate: flat properties, the record id kept beside the object
 * UUID. `runId` is what `workflowId` was called before; objects written then still carry it.
 */
type StoredFlat = Omit<FlatRecord, 'id' | 'workflowId'> & { recordId: string; workflowId?: string; runId?: string };
export type MemoryProperties = { [K in keyof StoredFlat]: StoredFlat[K] };

const exact = <Name extends keyof MemoryProperties>(name: Name) =>
  ({ name, dataType: 'text', tokenization: 'field', indexFilterable: true, indexSearchable: false }) as const;

/** Added to collections made before the rename (Weaviate cannot rename a property). */
export const workflowIdProperty = exact('workflowId');

/** One collection; only `text` is searchable (BM25), everything else filters exactly. */
export function memoryCollectionConfig(name: string): CollectionConfigCreate<MemoryProperties> {
  return {
    name,
    description: 'Trellis long-term memory (MemoryRecord with provenance); vectors supplied by Trellis.',
    properties: [
      { name: 'text', dataType: 'text', tokenization: 'word', indexSearchable: true, indexFilterable: false },
      exact('recordId'),
      exact('kind'),
      exact('projectId'),
      exact('clientId'),
      exact('sourceUri'),
      exact('sourceVersion'),
      { name: 'confidence', dataType: 'number' },
      { name: 'createdAt', dataType: 'date', indexRangeFilters: true },
      { name: 'validTo', dataType: 'date', indexRangeFilters: true },
      workflowIdProperty,
      exact('nodeId'),
      exact('reviewer'),
      exact('embeddingModel'),
    ],
    // Current records have no validTo: "is null" must be filterable.
    invertedIndex: weaviate.configure.invertedIndex({ indexNullState: true }),
    vectorizers: weaviate.configure.vectors.selfProvided({
      vectorIndexConfig: weaviate.configure.vectorIndex.hnsw({ distanceMetric: 'cosine' }),
    }),
  };
}

export function toObject(record: MemoryRecord, vector: number[]) {
  const { id, ...flat } = flatFromRecord(record);
  return { id: objectUuid(id), properties: { ...flat, recordId: id }, vectors: vector };
}

export function fromProperties({ recordId, workflowId, runId, ...rest }: MemoryProperties): MemoryRecord {
  return recordFromFlat({ ...rest, id: recordId, workflowId: workflowId ?? runId ?? '' });
}
