import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from './db.ts';
import { decodeCursor, page, pageLimit, type Page, type WithCursor } from './paging.ts';

// The project records where outcomes are finalised: appended once per idempotency key, and
// superseded by newer versions rather than changed.

export interface ProjectRecord {
  id: string;
  projectId: string;
  kind: string;
  title: string;
  body: unknown;
  sourceUri?: string;
  version: number;
  supersededBy?: string;
  runId?: string;
  nodeId?: string;
  idempotencyKey?: string;
  createdAt: string;
}

interface ProjectRecordRow {
  id: string;
  project_id: string;
  kind: string;
  title: string;
  body: unknown;
  source_uri: string | null;
  version: number;
  superseded_by: string | null;
  run_id: string | null;
  node_id: string | null;
  idempotency_key: string | null;
  created_at: Date;
}

const toProjectRecord = (row: ProjectRecordRow): ProjectRecord => ({
  id: row.id,
  projectId: row.project_id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  ...(row.source_uri === null ? {} : { sourceUri: row.source_uri }),
  version: row.version,
  ...(row.superseded_by === null ? {} : { supersededBy: row.superseded_by }),
  ...(row.run_id === null ? {} : { runId: row.run_id }),
  ...(row.node_id === null ? {} : { nodeId: row.node_id }),
  ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
  createdAt: row.created_at.toISOString(),
});

export interface NewProjectRecord {
  projectId: string;
  kind: string;
  title: string;
  /** Any JSON value: the approved reply, the task list, the scope text. */
  body: unknown;
  /** Where the record came from (`mid:…`, `doc://…`); supersede versions records by it. */
  sourceUri?: string;
  /** A retry with the same key returns the first record instead of writing a second. */
  idempotencyKey: string;
  runId: string;
  nodeId: string;
}

export interface StoredProjectRecord {
  record: ProjectRecord;
  /** True when the key was seen before and nothing was written. */
  duplicate: boolean;
}

async function recordByKey(db: Queryable, idempotencyKey: string): Promise<ProjectRecord | undefined> {
  const { rows } = await db.query<ProjectRecordRow>('select * from project_records where idempotency_key = $1', [
    idempotencyKey,
  ]);
  return rows[0] && toProjectRecord(rows[0]);
}

/** Appends a record to a project, once per idempotency key (safe under concurrent retries). */
export async function appendProjectRecord(db: Queryable, input: NewProjectRecord): Promise<StoredProjectRecord> {
  const { rows } = await db.query<ProjectRecordRow>(
    `insert into project_records (id, project_id, kind, title, body, source_uri, run_id, node_id, idempotency_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (idempotency_key) do nothing returning *`,
    [
      randomUUID(),
      input.projectId,
      input.kind,
      input.title,
      JSON.stringify(input.body),
      input.sourceUri ?? null,
      input.runId,
      input.nodeId,
      input.idempotencyKey,
    ],
  );
  if (rows[0]) return { record: toProjectRecord(rows[0]), duplicate: false };
  const first = await recordByKey(db, input.idempotencyKey);
  if (!first) throw new Error(`project record ${input.idempotencyKey} vanished after a conflict`);
  return { record: first, duplicate: true };
}

export interface SupersedingRecord extends NewProjectRecord {
  sourceUri: string;
}

export interface SupersededRecord extends StoredProjectRecord {
  /** The version this one replaced, as it is now (with `supersededBy` set); absent for a first version. */
  previous?: ProjectRecord;
}

/**
 * Records a new version of the project's current record of this kind from `sourceUri`
 * (a revised scope, an updated status): version + 1, and the old row points to the new
 * one through `superseded_by`. The first version when there is none. Idempotent by key.
 */
export async function supersedeProjectRecord(db: Db, input: SupersedingRecord): Promise<SupersededRecord> {
  return db.transaction(async (tx) => {
    // Serialises versions of one document; row locks alone would let two writers both read version n.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `project_records:${input.projectId}:${input.kind}:${input.sourceUri}`,
    ]);
    const seen = await recordByKey(tx, input.idempotencyKey);
    if (seen) return { record: seen, duplicate: true };
    const current = await tx.query<ProjectRecordRow>(
      `select * from project_records
       where project_id = $1 and kind = $2 and source_uri = $3 and superseded_by is null
       order by version desc limit 1`,
      [input.projectId, input.kind, input.sourceUri],
    );
    const previous = current.rows[0];
    const inserted = await tx.query<ProjectRecordRow>(
      `insert into project_records
         (id, project_id, kind, title, body, source_uri, version, run_id, node_id, idempotency_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
      [
        randomUUID(),
        input.projectId,
        input.kind,
        input.title,
        JSON.stringify(input.body),
        input.sourceUri,
        (previous?.version ?? 0) + 1,
        input.runId,
        input.nodeId,
        input.idempotencyKey,
      ],
    );
    const record = toProjectRecord(inserted.rows[0]!);
    if (!previous) return { record, duplicate: false };
    const updated = await tx.query<ProjectRecordRow>(
      'update project_records set superseded_by = $2 where id = $1 returning *',
      [previous.id, record.id],
    );
    return { record, duplicate: false, previous: toProjectRecord(updated.rows[0]!) };
  });
}

export async function getProjectRecord(db: Queryable, id: string): Promise<ProjectRecord | undefined> {
  const { rows } = await db.query<ProjectRecordRow>('select * from project_records where id = $1', [id]);
  return rows[0] && toProjectRecord(rows[0]);
}

export interface ProjectRecordQuery {
  projectId: string;
  kind?: string;
  sourceUri?: string;
  /** Include versions that a newer one replaced (default: only current records). */
  includeSuperseded?: boolean;
  limit?: number;
  cursor?: string;
}

/** A project's records, newest first. */
export async function listProjectRecords(db: Queryable, query: ProjectRecordQuery): Promise<Page<ProjectRecord>> {
  const limit = pageLimit(query.limit);
  const [beforeCreated, beforeId] = query.cursor ? decodeCursor(query.cursor, 2) : [null, null];
  const { rows } = await db.query<WithCursor<ProjectRecordRow>>(
    `select *, created_at::text as cursor_at from project_records
     where project_id = $1
       and ($2::text is null or kind = $2)
       and ($3::text is null or source_uri = $3)
       and ($4 or superseded_by is null)
       and ($5::timestamptz is null or (created_at, id) < ($5::timestamptz, $6))
     order by created_at desc, id desc limit $7`,
    [
      query.projectId,
      query.kind ?? null,
      query.sourceUri ?? null,
      query.includeSuperseded ?? false,
      beforeCreated,
      beforeId,
      limit + 1,
    ],
  );
  return page(rows, limit, toProjectRecord, (row) => [row.cursor_at, row.id]);
}
