import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { unique } from './clients.ts';
import { decodeCursor, page, pageLimit, type Page, type WithCursor } from './paging.ts';

// A client's projects, and the mail threads that link later replies to them.

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

interface ProjectRow {
  id: string;
  client_id: string | null;
  name: string;
  status: ProjectStatus;
  thread_ids: string[];
  metadata: Record<string, unknown>;
  created_at: Date;
}

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  ...(row.client_id === null ? {} : { clientId: row.client_id }),
  name: row.name,
  status: row.status,
  threadIds: row.thread_ids,
  metadata: row.metadata,
  createdAt: row.created_at.toISOString(),
});

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
