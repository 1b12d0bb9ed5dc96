import type { Queryable } from '../../store/db.ts';
import { ControlError } from '../deps.ts';
import type { CanaryCandidate, CanarySlice } from '../schemas/canary.ts';
import type { NodeObservation, NodeStats } from './compare.ts';

/** An extraction model's canary: its intents and the live model's on the same past extract steps. */
export interface ModelCanaryFigures {
  modelId: string;
  liveVersion: string;
  /** Past extract steps read again, and those whose intent the candidate changes. */
  compared: number;
  changed: number;
  /** Steps a person decided; on how many each model gives the person's intent. */
  reviewed: number;
  liveAgrees: number;
  candidateAgrees: number;
  /** The candidate right where the live model was wrong, and the other way round. */
  fixed: number;
  broken: number;
}

export interface CanarySummary {
  /** What was tried: `v3`, `v2+extract`, `rules v4`. */
  label: string;
  planHash?: string;
  baseVersion?: number;
  runs: number;
  canaryFailed: number;
  changedOutputs: number;
  askedHumanBefore: number;
  asksHumanNow: number;
  reviewed: number;
  automatedOnReviewed: number;
  matchesApproved: number;
  estimatedFalsePositiveRate: number | null;
  /** Side-effecting nodes whose recorded output was reused instead of running them. */
  sideEffectsReused: number;
  costBeforeUsd: number;
  costAfterUsd: number;
  costDeltaUsd: number;
  extraction?: ModelCanaryFigures;
}

export interface CanaryRun {
  /** The past run (or, for routing, the event) that was replayed. */
  pastRunId: string;
  canaryRunId?: string;
  status: 'completed' | 'failed';
  error?: string;
  /** Nodes whose output changed or that a person judged, with before, after and verdict. */
  nodes: NodeObservation[];
}

export interface CanaryReport {
  id: string;
  kind: 'workflow' | 'routing' | 'extraction';
  workflowId?: string;
  candidate: CanaryCandidate;
  slice: CanarySlice;
  status: 'running' | 'completed' | 'failed' | 'promoted';
  summary?: CanarySummary;
  nodes?: NodeStats[];
  runs?: CanaryRun[];
  error?: string;
  createdBy: string;
  createdAt: string;
  completedAt?: string;
  promotedAt?: string;
  promotedBy?: string;
  promotion?: Record<string, unknown>;
}

interface ReportRow {
  id: string;
  kind: CanaryReport['kind'];
  workflow_id: string | null;
  candidate: CanaryCandidate;
  slice: CanarySlice;
  status: CanaryReport['status'];
  summary: CanarySummary | null;
  nodes: NodeStats[] | null;
  runs: CanaryRun[] | null;
  error: string | null;
  created_by: string;
  created_at: Date;
  completed_at: Date | null;
  promoted_at: Date | null;
  promoted_by: string | null;
  promotion: Record<string, unknown> | null;
}

function toReport(row: ReportRow, withRuns: boolean): CanaryReport {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.workflow_id ? { workflowId: row.workflow_id } : {}),
    candidate: row.candidate,
    slice: row.slice,
    status: row.status,
    ...(row.summary ? { summary: row.summary } : {}),
    ...(row.nodes ? { nodes: row.nodes } : {}),
    ...(withRuns && row.runs ? { runs: row.runs } : {}),
    ...(row.error ? { error: row.error } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    ...(row.completed_at ? { completedAt: row.completed_at.toISOString() } : {}),
    ...(row.promoted_at ? { promotedAt: row.promoted_at.toISOString() } : {}),
    ...(row.promoted_by ? { promotedBy: row.promoted_by } : {}),
    ...(row.promotion ? { promotion: row.promotion } : {}),
  };
}

export async function createReport(
  db: Queryable,
  report: Pick<CanaryReport, 'id' | 'kind' | 'workflowId' | 'candidate' | 'slice' | 'createdBy'>,
): Promise<void> {
  await db.query(
    `insert into control_canary_reports (id, kind, workflow_id, candidate, slice, status, created_by)
     values ($1, $2, $3, $4, $5, 'running', $6)`,
    [
      report.id,
      report.kind,
      report.workflowId ?? null,
      JSON.stringify(report.candidate),
      JSON.stringify(report.slice),
      report.createdBy,
    ],
  );
}

export async function completeReport(
  db: Queryable,
  id: string,
  result: { summary: CanarySummary; nodes: NodeStats[]; runs: CanaryRun[] },
): Promise<void> {
  await db.query(
    `update control_canary_reports set status = 'completed', summary = $2, nodes = $3, runs = $4, completed_at = now()
     where id = $1 and status = 'running'`,
    [id, JSON.stringify(result.summary), JSON.stringify(result.nodes), JSON.stringify(result.runs)],
  );
}

export async function failReport(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `update control_canary_reports set status = 'failed', error = $2, completed_at = now() where id = $1 and status = 'running'`,
    [id, error],
  );
}

/** A report with its per-run details (the report page); lists leave the runs out. */
export async function getReport(db: Queryable, id: string): Promise<CanaryReport | undefined> {
  const { rows } = await db.query<ReportRow>('select * from control_canary_reports where id = $1', [id]);
  return rows[0] && toReport(rows[0], true);
}

export async function requireReport(db: Queryable, id: string): Promise<CanaryReport> {
  const report = await getReport(db, id);
  if (!report) throw new ControlError(`canary report ${id} does not exist`, 404);
  return report;
}

export async function listReports(
  db: Queryable,
  { workflowId, limit = 50 }: { workflowId?: string; limit?: number } = {},
): Promise<CanaryReport[]> {
  const { rows } = await db.query<ReportRow>(
    `select * from control_canary_reports where ($1::text is null or workflow_id = $1)
     order by created_at desc, id limit $2`,
    [workflowId ?? null, Math.min(limit, 500)],
  );
  return rows.map((row) => toReport(row, false));
}

export async function markPromoted(
  db: Queryable,
  id: string,
  by: string,
  promotion: Record<string, unknown>,
): Promise<void> {
  const { rowCount } = await db.query(
    `update control_canary_reports set status = 'promoted', promoted_at = now(), promoted_by = $2, promotion = $3
     where id = $1 and status = 'completed'`,
    [id, by, JSON.stringify(promotion)],
  );
  if (!rowCount) throw new ControlError(`canary report ${id} was promoted meanwhile`);
}
