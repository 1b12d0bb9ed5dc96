// A memory record as a pgvector table row: reading one back, and writing a batch in one statement.
import type pg from 'pg';
import pgvector from 'pgvector';
import type { MemoryRecord } from '../schemas/memory-record.ts';
import { RECORD_COLUMNS } from './pgvector-sql.ts';
import { flatFromRecord, recordFromFlat } from './records.ts';

export interface RecordRow {
  id: string;
  text: string;
  kind: string;
  project_id: string | null;
  client_id: string | null;
  source_uri: string;
  source_version: string;
  confidence: number;
  created_at: Date;
  valid_to: Date | null;
  workflow_id: string;
  node_id: string;
  reviewer: string | null;
  embedding_model: string;
}

/** Records per insert statement. */
export const BATCH = 500;

export function fromRow(row: RecordRow): MemoryRecord {
  return recordFromFlat({
    id: row.id,
    text: row.text,
    kind: row.kind,
    projectId: row.project_id,
    clientId: row.client_id,
    sourceUri: row.source_uri,
    sourceVersion: row.source_version,
    confidence: row.confidence,
    createdAt: row.created_at,
    validTo: row.valid_to,
    workflowId: row.workflow_id,
    nodeId: row.node_id,
    reviewer: row.reviewer,
    embeddingModel: row.embedding_model,
  });
}

/** Inserts or replaces one batch of records with their vectors, in one statement. */
export async function insertRecords(
  tx: pg.PoolClient,
  table: string,
  records: MemoryRecord[],
  vectors: number[][],
): Promise<void> {
  const flat = records.map(flatFromRecord);
  const column = <K extends keyof (typeof flat)[number]>(key: K) => flat.map((row) => row[key]);
  await tx.query(
    `insert into ${table} (${RECORD_COLUMNS}, embedding)
       select id, text, kind, project_id, client_id, source_uri, source_version, confidence,
              created_at, valid_to, workflow_id, node_id, reviewer, embedding_model, embedding::vector
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::float8[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                     $14::text[], $15::text[])
           as input(id, text, kind, project_id, client_id, source_uri, source_version, confidence,
                    created_at, valid_to, workflow_id, node_id, reviewer, embedding_model, embedding)
       on conflict (id) do update set
         text = excluded.text, kind = excluded.kind, project_id = excluded.project_id,
         client_id = excluded.client_id, source_uri = excluded.source_uri, source_version = excluded.source_version,
         confidence = excluded.confidence, created_at = excluded.created_at, valid_to = excluded.valid_to,
         workflow_id = excluded.workflow_id, node_id = excluded.node_id, reviewer = excluded.reviewer,
         embedding_model = excluded.embedding_model, embedding = excluded.embedding`,
    [
      column('id'),
      column('text'),
      column('kind'),
      column('projectId'),
      column('clientId'),
      column('sourceUri'),
      column('sourceVersion'),
      column('confidence'),
      column('createdAt'),
      column('validTo'),
      column('workflowId'),
      column('nodeId'),
      column('reviewer'),
      column('embeddingModel'),
      vectors.map((vector) => pgvector.toSql(vector) as string),
    ],
  );
}
