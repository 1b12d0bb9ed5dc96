import { randomUUID } from 'node:crypto';
import type { ExecutionPlan } from '../schemas/execution-plan.ts';
import type { WorkflowGraph } from '../schemas/workflow-graph.ts';
import type { Db, Queryable } from './db.ts';

// Workflows as drawn (a draft graph that may be invalid) and their published versions: each
// version keeps the graph and the compiled plan it was published with, so a run can always be
// traced back to exactly what it executed. Deleting a workflow archives it; versions stay.

export interface VersionSummary {
  version: number;
  planHash: string;
  publishedAt: string;
  publishedBy: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  templateId?: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  latestVersion?: VersionSummary;
}

export interface StoredWorkflow extends WorkflowSummary {
  graph: WorkflowGraph;
  versions: VersionSummary[];
}

export interface StoredVersion extends VersionSummary {
  workflowId: string;
  graph: WorkflowGraph;
  plan: ExecutionPlan;
}

interface WorkflowRow {
  id: string;
  name: string;
  description: string;
  template_id: string | null;
  archived: boolean;
  created_at: Date;
  updated_at: Date;
}

interface VersionRow {
  workflow_id: string;
  version: number;
  plan_hash: string;
  published_at: Date;
  published_by: string;
}

type LatestColumns = {
  latest_version: number | null;
  latest_hash: string | null;
  latest_at: Date | null;
  latest_by: string | null;
};

const toVersion = (row: VersionRow): VersionSummary => ({
  version: row.version,
  planHash: row.plan_hash,
  publishedAt: row.published_at.toISOString(),
  publishedBy: row.published_by,
});

function toSummary(row: WorkflowRow & LatestColumns): WorkflowSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ...(row.template_id === null ? {} : { templateId: row.template_id }),
    archived: row.archived,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(row.latest_version === null
      ? {}
      : {
          latestVersion: {
            version: row.latest_version,
            planHash: row.latest_hash ?? '',
            publishedAt: (row.latest_at ?? new Date(0)).toISOString(),
            publishedBy: row.latest_by ?? '',
          },
        }),
  };
}

const summaryQuery = `
  select w.id, w.name, w.description, w.template_id, w.archived, w.created_at, w.updated_at,
         v.version as latest_version, v.plan_hash as latest_hash, v.published_at as latest_at,
         v.published_by as latest_by
  from workflows w
  left join lateral (
    select version, plan_hash, published_at, published_by from workflow_versions
    where workflow_id = w.id order by version desc limit 1
  ) v on true`;

export interface NewWorkflow {
  name: string;
  description?: string;
  graph: WorkflowGraph;
  templateId?: string;
}

export async function createWorkflow(db: Queryable, workflow: NewWorkflow): Promise<StoredWorkflow> {
  const id = randomUUID();
  await db.query('insert into workflows (id, name, description, graph, template_id) values ($1, $2, $3, $4, $5)', [
    id,
    workflow.name,
    workflow.description ?? '',
    JSON.stringify(workflow.graph),
    workflow.templateId ?? null,
  ]);
  const created = await getWorkflow(db, id);
  if (!created) throw new Error(`workflow ${id} vanished after insert`);
  return created;
}

export async function listWorkflows(
  db: Queryable,
  { includeArchived = false }: { includeArchived?: boolean } = {},
): Promise<WorkflowSummary[]> {
  const { rows } = await db.query<WorkflowRow & LatestColumns>(
    `${summaryQuery} where ($1 or not w.archived) order by w.name, w.id`,
    [includeArchived],
  );
  return rows.map(toSummary);
}

/** The workflow with its draft graph and every version; archived ones too (their runs stay readable). */
export async function getWorkflow(db: Queryable, id: string): Promise<StoredWorkflow | undefined> {
  const { rows } = await db.query<WorkflowRow & LatestColumns>(`${summaryQuery} where w.id = $1`, [id]);
  const row = rows[0];
  if (!row) return undefined;
  const graph = await db.query<{ graph: WorkflowGraph }>('select graph from workflows where id = $1', [id]);
  return { ...toSummary(row), graph: graph.rows[0]!.graph, versions: await listVersions(db, id) };
}

export interface WorkflowChanges {
  name?: string;
  description?: string;
  graph?: WorkflowGraph;
}

/** Replaces the given fields of a live (not archived) workflow; undefined when there is none. */
export async function updateWorkflow(
  db: Queryable,
  id: string,
  changes: WorkflowChanges,
): Promise<StoredWorkflow | undefined> {
  const { rowCount } = await db.query(
    `update workflows set
       name = coalesce($2, name),
       description = coalesce($3, description),
       graph = coalesce($4, graph),
       updated_at = now()
     where id = $1 and not archived`,
    [id, changes.name ?? null, changes.description ?? null, changes.graph ? JSON.stringify(changes.graph) : null],
  );
  return rowCount ? getWorkflow(db, id) : undefined;
}

/** Archives a workflow; false when there was no live workflow with this id. */
export async function archiveWorkflow(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'update workflows set archived = true, updated_at = now() where id = $1 and not archived',
    [id],
  );
  return (rowCount ?? 0) > 0;
}

export async function listVersions(db: Queryable, workflowId: string): Promise<VersionSummary[]> {
  const { rows } = await db.query<VersionRow>(
    `select workflow_id, version, plan_hash, published_at, published_by from workflow_versions
     where workflow_id = $1 order by version`,
    [workflowId],
  );
  return rows.map(toVersion);
}

/** A published version (the latest when `version` is omitted), with its graph and plan. */
export async function getVersion(
  db: Queryable,
  workflowId: string,
  version?: number,
): Promise<StoredVersion | undefined> {
  const { rows } = await db.query<VersionRow & { graph: WorkflowGraph; plan: ExecutionPlan }>(
    `select * from workflow_versions where workflow_id = $1 and ($2::integer is null or version = $2)
     order by version desc limit 1`,
    [workflowId, version ?? null],
  );
  const row = rows[0];
  return row && { ...toVersion(row), workflowId: row.workflow_id, graph: row.graph, plan: row.plan };
}

/** The version numbers and workflow names behind plan hashes, for run summaries. */
export async function versionsByHash(
  db: Queryable,
  keys: { workflowId: string; planHash: string }[],
): Promise<Map<string, { version: number; name: string }>> {
  const found = new Map<string, { version: number; name: string }>();
  if (keys.length === 0) return found;
  const { rows } = await db.query<{ workflow_id: string; plan_hash: string; version: number; name: string }>(
    `select v.workflow_id, v.plan_hash, max(v.version) as version, w.name from workflow_versions v
     join workflows w on w.id = v.workflow_id
     where (v.workflow_id, v.plan_hash) in (select * from unnest($1::text[], $2::text[]))
     group by v.workflow_id, v.plan_hash, w.name`,
    [keys.map((k) => k.workflowId), keys.map((k) => k.planHash)],
  );
  for (const row of rows) found.set(`${row.workflow_id}/${row.plan_hash}`, { version: row.version, name: row.name });
  return found;
}

export interface PublishResult {
  version: StoredVersion;
  /** False when the plan is the latest version's plan: nothing was written. */
  created: boolean;
}

/**
 * Publishes a compiled plan as the next version, unless it is the latest version's plan.
 * The workflow row is locked, so two publishers never take the same version number.
 */
export async function publishVersion(
  db: Db,
  workflowId: string,
  { graph, plan, publishedBy }: { graph: WorkflowGraph; plan: ExecutionPlan; publishedBy: string },
  /** Runs before the new version commits; throwing rolls the version back (e.g. a schedule Temporal refused). */
  beforeCommit: (version: StoredVersion) => Promise<void> = () => Promise.resolve(),
): Promise<PublishResult | undefined> {
  return db.transaction(async (tx) => {
    const live = await tx.query('select id from workflows where id = $1 and not archived for update', [workflowId]);
    if (live.rowCount === 0) return undefined;
    const latest = await getVersion(tx, workflowId);
    if (latest && latest.planHash === plan.hash) return { version: latest, created: false };
    const next = (latest?.version ?? 0) + 1;
    await tx.query(
      `insert into workflow_versions (workflow_id, version, plan_hash, graph, plan, published_by)
       values ($1, $2, $3, $4, $5, $6)`,
      [workflowId, next, plan.hash, JSON.stringify(graph), JSON.stringify(plan), publishedBy],
    );
    const created = await getVersion(tx, workflowId, next);
    if (!created) throw new Error(`version ${next} of ${workflowId} vanished after insert`);
    await beforeCommit(created);
    return { version: created, created: true };
  });
}

/** Templates that have ever been installed (archived workflows count: a deleted template stays deleted). */
export async function installedTemplateIds(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ template_id: string }>(
    'select distinct template_id from workflows where template_id is not null',
  );
  return new Set(rows.map((row) => row.template_id));
}

export interface ListeningWorkflow {
  workflowId: string;
  version: number;
  plan: ExecutionPlan;
}

/**
 * The latest published version of every live workflow whose trigger listens to `source`
 * (a webhook, email or document trigger naming it). This is the whole routing of ingested
 * events for now; the control plane's intent router will replace it.
 */
export async function workflowsListeningTo(db: Queryable, source: string): Promise<ListeningWorkflow[]> {
  const { rows } = await db.query<{ workflow_id: string; version: number; plan: ExecutionPlan }>(
    `select v.workflow_id, v.version, v.plan
     from workflows w
     join lateral (
       select workflow_id, version, plan from workflow_versions
       where workflow_id = w.id order by version desc limit 1
     ) v on true
     where not w.archived
       and exists (
         select 1 from jsonb_array_elements(v.plan->'nodes') as node
         where node->>'id' = v.plan->>'trigger'
           and node->'config'->>'kind' in ('webhook', 'email', 'document')
           and node->'config'->>'source' = $1
       )
     order by v.workflow_id`,
    [source],
  );
  return rows.map((row) => ({ workflowId: row.workflow_id, version: row.version, plan: row.plan }));
}
