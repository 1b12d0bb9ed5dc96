import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from './db.ts';

// Clients, their projects, and the project records where outcomes are finalised.
// Addresses and domains are stored lower-case so lookups by sender are exact matches.

export interface Client {
  id: string;
  name: string;
  emails: string[];
  domains: string[];
  billing: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export const projectStatuses = ['lead', 'active', 'paused', 'done', 'archived'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export interface Project {
  id: string;
  clientId?: string;
  name: string;
  status: ProjectStatus;
  threadIds: string[];
  metadata: Record<string, unknown>;
  createdAt: string;
}

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

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

interface ClientRow {
  id: string;
  name: string;
  emails: string[];
  domains: string[];
  billing: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** created_at as PostgreSQL prints it: microseconds kept, so a keyset cursor never skips a row. */
type WithCursor<Row> = Row & { cursor_at: string };

interface ProjectRow {
  id: string;
  client_id: string | null;
  name: string;
  status: ProjectStatus;
  thread_ids: string[];
  metadata: Record<string, unknown>;
  created_at: Date;
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

const toClient = (row: ClientRow): Client => ({
  id: row.id,
  name: row.name,
  emails: row.emails,
  domains: row.domains,
  billing: row.billing,
  metadata: row.metadata,
  createdAt: row.created_at.toISOString(),
});

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  ...(row.client_id === null ? {} : { clientId: row.client_id }),
  name: row.name,
  status: row.status,
  threadIds: row.thread_ids,
  metadata: row.metadata,
  createdAt: row.created_at.toISOString(),
});

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

/** `Jane@Example.COM ` → `jane@example.com`; `@Example.com` → `example.com`. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}

const unique = (values: string[]) => [...new Set(values)];

// Keyset cursors: opaque to callers, stable under inserts (no offset drift).
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('cursor is not valid');
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== size ||
    !parts.every((part): part is string => typeof part === 'string')
  )
    throw new RangeError('cursor is not valid');
  return parts;
}

function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 50), 1), 500);
}

function page<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, cursorOf: (row: Row) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(cursorOf(last)) } : {}),
  };
}

// ---------------------------------------------------------------- clients

export interface NewClient {
  id?: string;
  name: string;
  emails?: string[];
  domains?: string[];
  billing?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export async function createClient(db: Queryable, client: NewClient): Promise<Client> {
  const { rows } = await db.query<ClientRow>(
    `insert into clients (id, name, emails, domains, billing, metadata)
     values ($1, $2, $3, $4, $5, $6) returning *`,
    [
      client.id ?? randomUUID(),
      client.name,
      unique((client.emails ?? []).map(normalizeEmail)),
      unique((client.domains ?? []).map(normalizeDomain)),
      JSON.stringify(client.billing ?? {}),
      JSON.stringify(client.metadata ?? {}),
    ],
  );
  return toClient(rows[0]!);
}

export type ClientChanges = Partial<Omit<NewClient, 'id'>>;

/** Replaces the given fields; returns undefined when there is no such client. */
export async function updateClient(db: Queryable, id: string, changes: ClientChanges): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow>(
    `update clients set
       name = coalesce($2, name),
       emails = coalesce($3, emails),
       domains = coalesce($4, domains),
       billing = coalesce($5, billing),
       metadata = coalesce($6, metadata)
     where id = $1 returning *`,
    [
      id,
      changes.name ?? null,
      changes.emails ? unique(changes.emails.map(normalizeEmail)) : null,
      changes.domains ? unique(changes.domains.map(normalizeDomain)) : null,
      changes.billing ? JSON.stringify(changes.billing) : null,
      changes.metadata ? JSON.stringify(changes.metadata) : null,
    ],
  );
  return rows[0] && toClient(rows[0]);
}

export async function getClient(db: Queryable, id: string): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow>('select * from clients where id = $1', [id]);
  return rows[0] && toClient(rows[0]);
}

export interface ClientQuery {
  /** Case-insensitive substring of the name, an email or a domain. */
  search?: string;
  limit?: number;
  cursor?: string;
}

/** Clients by name (then id), a page at a time. */
export async function listClients(db: Queryable, query: ClientQuery = {}): Promise<Page<Client>> {
  const limit = pageLimit(query.limit);
  const [afterName, afterId] = query.cursor ? decodeCursor(query.cursor, 2) : [null, null];
  const { rows } = await db.query<ClientRow>(
    `select * from clients
     where ($1::text is null or (name, id) > ($1, $2))
       and ($3::text is null
            or name ilike '%' || $3 || '%'
            or exists (select 1 from unnest(emails || domains) as address where address ilike '%' || $3 || '%'))
     order by name, id limit $4`,
    [afterName, afterId, query.search?.trim() || null, limit + 1],
  );
  return page(rows, limit, toClient, (row) => [row.name, row.id]);
}

/**
 * The client a sender belongs to: an exact email match first, else a match on the
 * address's domain. Never guesses: when two clients claim the address or the domain,
 * returns undefined.
 */
export async function findClientByAddress(db: Queryable, address: string): Promise<Client | undefined> {
  const email = normalizeEmail(address);
  const byEmail = await db.query<ClientRow>('select * from clients where $1 = any(emails) order by id limit 2', [
    email,
  ]);
  if (byEmail.rows.length > 0) return byEmail.rows.length === 1 ? toClient(byEmail.rows[0]!) : undefined;
  const domain = email.includes('@') ? normalizeDomain(email.slice(email.lastIndexOf('@') + 1)) : '';
  if (!domain) return undefined;
  const byDomain = await db.query<ClientRow>('select * from clients where $1 = any(domains) order by id limit 2', [
    domain,
  ]);
  return byDomain.rows.length === 1 ? toClient(byDomain.rows[0]!) : undefined;
}

// ---------------------------------------------------------------- projects

export interface NewProject {
  id?: string;
  clientId?: string;
  name: string;
  status?: ProjectStatus;
  threadIds?: string[];
  metadata?: Record<string, unknown>;
}

export async function createProject(db: Queryable, project: NewProject): Promise<Project> {
  const { rows } = await db.query<ProjectRow>(
    `insert into projects (id, client_id, name, status, thread_ids, metadata)
     values ($1, $2, $3, $4, $5, $6) returning *`,
    [
      project.id ?? randomUUID(),
      project.clientId ?? null,
      project.name,
      project.status ?? 'active',
      unique(project.threadIds ?? []),
      JSON.stringify(project.metadata ?? {}),
    ],
  );
  return toProject(rows[0]!);
}

export async function getProject(db: Queryable, id: string): Promise<Project | undefined> {
  const { rows } = await db.query<ProjectRow>('select * from projects where id = $1', [id]);
  return rows[0] && toProject(rows[0]);
}

export interface ProjectQuery {
  clientId?: string;
  status?: ProjectStatus;
  limit?: number;
  cursor?: string;
}

/** Projects, newest first, a page at a time. */
export async function listProjects(db: Queryable, query: ProjectQuery = {}): Promise<Page<Project>> {
  const limit = pageLimit(query.limit);
  const [beforeCreated, beforeId] = query.cursor ? decodeCursor(query.cursor, 2) : [null, null];
  const { rows } = await db.query<WithCursor<ProjectRow>>(
    `select *, created_at::text as cursor_at from projects
     where ($1::text is null or client_id = $1)
       and ($2::text is null or status = $2)
       and ($3::timestamptz is null or (created_at, id) < ($3::timestamptz, $4))
     order by created_at desc, id desc limit $5`,
    [query.clientId ?? null, query.status ?? null, beforeCreated, beforeId, limit + 1],
  );
  return page(rows, limit, toProject, (row) => [row.cursor_at, row.id]);
}

export async function setProjectStatus(db: Queryable, id: string, status: ProjectStatus): Promise<Project | undefined> {
  const { rows } = await db.query<ProjectRow>('update projects set status = $2 where id = $1 returning *', [
    id,
    status,
  ]);
  return rows[0] && toProject(rows[0]);
}

/** Adds a mail thread to a project (once), so later replies in it link to the project. */
export async function addProjectThread(db: Queryable, id: string, threadId: string): Promise<Project | undefined> {
  const { rows } = await db.query<ProjectRow>(
    `update projects set thread_ids = case when $2 = any(thread_ids) then thread_ids else thread_ids || $2 end
     where id = $1 returning *`,
    [id, threadId],
  );
  return rows[0] && toProject(rows[0]);
}

/** The project a mail thread belongs to; the newest when several claim it. */
export async function findProjectByThread(db: Queryable, threadId: string): Promise<Project | undefined> {
  const { rows } = await db.query<ProjectRow>(
    'select * from projects where $1 = any(thread_ids) order by created_at desc, id desc limit 1',
    [threadId],
  );
  return rows[0] && toProject(rows[0]);
}

/** The client's one active project, or undefined when it has none or several (no guessing). */
export async function findSingleActiveProject(db: Queryable, clientId: string): Promise<Project | undefined> {
  const { rows } = await db.query<ProjectRow>(
    "select * from projects where client_id = $1 and status = 'active' order by id limit 2",
    [clientId],
  );
  return rows.length === 1 ? toProject(rows[0]!) : undefined;
}

// ---------------------------------------------------------------- project records

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
