import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { randomUUID } from 'node:crypto';
import type { TrellisConfig } from '../../services/config.ts';
import type { Db } from '../../store/db.ts';
import { getVersion, versionsByHash } from '../../store/workflows.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { searchKeys, startRun } from '../../temporal/runs.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';
import { notFound } from './http-errors.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

// Runs are Temporal workflow executions of the interpreter; their id (`run:<workflow>:<key>`)
// is the API's runId. Nothing about a run is stored outside Temporal.

export const runStates = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed-out'] as const;
export type RunState = (typeof runStates)[number];

const visibilityStatus: Record<RunState, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
};

const stateOfName: Record<string, RunState> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'completed',
};

export interface RunSummary {
  runId: string;
  workflowId: string;
  workflowName: string;
  version: number;
  planHash: string;
  status: RunState;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  costUsd: number;
  temporalUiUrl?: string;
  /** A canary run (control plane): replayed from the ledger with side effects reused, never live. */
  canary?: true;
}

export function temporalUiUrl(config: TrellisConfig, runId: string): string | undefined {
  const base = config.temporal.uiUrl?.replace(/\/$/, '');
  return (
    base && `${base}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(runId)}`
  );
}

export interface StartRequest {
  workflowId: string;
  version?: number;
  input: RunInput['trigger'];
  idempotencyKey?: string;
}

/** Starts a run of a published version (the latest unless one is named); the same key never starts two. */
export async function startPublishedRun(
  db: Db,
  client: Client,
  config: TrellisConfig,
  request: StartRequest,
): Promise<{ runId: string; started: boolean; version: number; planHash: string }> {
  const published = await getVersion(db, request.workflowId, request.version);
  if (!published) {
    throw request.version === undefined
      ? notFound('a published version of this workflow', '/params/id')
      : notFound(`version ${request.version} of this workflow`, '/version');
  }
  const { handle, started } = await startRun(client, {
    taskQueue: config.temporal.taskQueue,
    plan: published.plan,
    workflow: { id: request.workflowId, version: published.version },
    trigger: request.input,
    idempotencyKey: request.idempotencyKey ?? `api:${randomUUID()}`,
  });
  return { runId: handle.workflowId, started, version: published.version, planHash: published.planHash };
}

export interface RunQuery {
  workflowId?: string;
  status?: RunState;
  /** Canary runs are listed under `canary:<workflowId>` and left out unless asked for. */
  includeCanaries?: boolean;
  limit: number;
  pageToken?: string;
}

interface ListedRun {
  runId: string;
  workflowId: string;
  planHash: string;
  status: RunState;
  startedAt: Date;
  endedAt?: Date;
}

/** Canary runs carry `canary:<workflowId>` as their Trellis workflow (control/start-run.ts visibleAs). */
const CANARY_PREFIX = 'canary:';

// Values in a visibility query are validated by the route's schema (ids, enums); quotes are escaped anyway.
const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function listExecutions(client: Client, query: RunQuery): Promise<{ runs: ListedRun[]; nextPageToken?: string }> {
  const conditions = ["WorkflowType = 'interpreter'"];
  const key = searchKeys.workflow.name;
  if (query.workflowId && query.includeCanaries)
    conditions.push(`${key} IN (${quoted(query.workflowId)}, ${quoted(`${CANARY_PREFIX}${query.workflowId}`)})`);
  else if (query.workflowId) conditions.push(`${key} = ${quoted(query.workflowId)}`);
  else if (!query.includeCanaries) conditions.push(`${key} NOT STARTS_WITH ${quoted(CANARY_PREFIX)}`);
  if (query.status) conditions.push(`ExecutionStatus = ${quoted(visibilityStatus[query.status])}`);
  const pageToken = query.pageToken ? decodePageToken(query.pageToken) : undefined;
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize: query.limit,
    // Newest first is the visibility store's own order (the SQLite one refuses ORDER BY).
    query: conditions.join(' AND '),
    ...(pageToken ? { nextPageToken: pageToken } : {}),
  });
  const runs: ListedRun[] = [];
  for (const raw of response.executions ?? []) {
    const info = await executionInfoFromRaw(
      raw,
      client.options.loadedDataConverter,
      undefined,
      client.options.namespace,
    );
    runs.push({
      runId: info.workflowId,
      workflowId: info.typedSearchAttributes.get(searchKeys.workflow) ?? '',
      planHash: info.typedSearchAttributes.get(searchKeys.planHash) ?? '',
      status: stateOfName[info.status.name] ?? 'running',
      startedAt: info.startTime,
      ...(info.closeTime ? { endedAt: info.closeTime } : {}),
    });
  }
  const token = response.nextPageToken;
  return { runs, ...(token && token.length > 0 ? { nextPageToken: encodePageToken(token) } : {}) };
}

/** Up to `limit` ledgers fetched at a time: the cost of a run is in its history and nowhere else. */
async function costs(client: Client, runIds: string[], concurrency = 8): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < runIds.length; i += concurrency) {
    await Promise.all(
      runIds.slice(i, i + concurrency).map(async (runId) => {
        const ledger = await fetchLedger(client, runId).catch(() => undefined);
        found.set(runId, ledger?.totals.costUsd ?? 0);
      }),
    );
  }
  return found;
}

/** A canary's Trellis workflow without its prefix, so its name and version are found like a live run's. */
const ownWorkflowId = (workflowId: string) =>
  workflowId.startsWith(CANARY_PREFIX) ? workflowId.slice(CANARY_PREFIX.length) : workflowId;

async function summarise(db: Db, client: Client, config: TrellisConfig, runs: ListedRun[]): Promise<RunSummary[]> {
  const versions = await versionsByHash(
    db,
    runs.map((run) => ({ workflowId: ownWorkflowId(run.workflowId), planHash: run.planHash })),
  );
  const cost = await costs(
    client,
    runs.map((run) => run.runId),
  );
  return runs.map((run) => {
    const canary = run.workflowId.startsWith(CANARY_PREFIX);
    const workflowId = ownWorkflowId(run.workflowId);
    const known = versions.get(`${workflowId}/${run.planHash}`);
    const url = temporalUiUrl(config, run.runId);
    return {
      runId: run.runId,
      workflowId,
      workflowName: known?.name ?? '',
      version: known?.version ?? 0,
      planHash: run.planHash,
      status: run.status,
      startedAt: run.startedAt.toISOString(),
      ...(run.endedAt
        ? { endedAt: run.endedAt.toISOString(), durationMs: run.endedAt.getTime() - run.startedAt.getTime() }
        : {}),
      costUsd: cost.get(run.runId) ?? 0,
      ...(url ? { temporalUiUrl: url } : {}),
      ...(canary ? { canary: true as const } : {}),
    };
  });
}

export async function listRuns(
  db: Db,
  client: Client,
  config: TrellisConfig,
  query: RunQuery,
): Promise<{ runs: RunSummary[]; nextPageToken?: string }> {
  const page = await listExecutions(client, query);
  return {
    runs: await summarise(db, client, config, page.runs),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

/** The run's Temporal description, or a 404 when Temporal has no interpreter run with this id. */
export async function requireRun(
  client: Client,
  runId: string,
  pointer = '/params/runId',
): Promise<WorkflowExecutionDescription> {
  const description = await client.workflow
    .getHandle(runId)
    .describe()
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
  if (!description || description.type !== 'interpreter') throw notFound('run', pointer);
  return description;
}

/** One run's summary, or a 404 when Temporal has no interpreter run with this id. */
export async function describeRun(db: Db, client: Client, config: TrellisConfig, runId: string): Promise<RunSummary> {
  const description = await requireRun(client, runId);
  const [summary] = await summarise(db, client, config, [
    {
      runId,
      workflowId: description.typedSearchAttributes.get(searchKeys.workflow) ?? '',
      planHash: description.typedSearchAttributes.get(searchKeys.planHash) ?? '',
      status: stateOfName[description.status.name] ?? 'running',
      startedAt: description.startTime,
      ...(description.closeTime ? { endedAt: description.closeTime } : {}),
    },
  ]);
  return summary!;
}
