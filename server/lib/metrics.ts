import type { Client } from '@temporalio/client';
import type { Db } from '../../store/db.ts';
import { isoWeek, reviewMetrics } from '../../store/metrics.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { searchKeys } from '../../temporal/runs.ts';

// Metrics per workflow and ISO week:
// - false-positive rate: decided reviews of an automated output that were edited or rejected;
// - mean time to manual correction: created → decided of the edited ones;
// - cost per action: ledger cost over node executions. The ledger (the run's Temporal history)
//   is the only record of cost, so it is read from the histories of the period's runs; no second
//   write path exists for it. At most `maxRuns` runs are read per request.

export interface MetricsWeek {
  week: string;
  workflowId: string;
  actions: number;
  reviews: number;
  editedOrRejected: number;
  falsePositiveRate: number | null;
  meanTimeToCorrectionMs: number | null;
  costUsd: number;
  costPerAction: number | null;
}

export interface MetricsRequest {
  workflowId?: string;
  from: Date;
  to: Date;
  maxRuns?: number;
}

interface CostWeek {
  actions: number;
  costUsd: number;
}

/** A run whose history could not be read: its actions and cost are not in the figures, and the answer says so. */
export interface UnreadableRun {
  runId: string;
  error: string;
}

/** At most this many unreadable runs are named in an answer (all are counted). */
const NAMED_UNREADABLE = 10;

async function ledgerCosts(
  client: Client,
  request: MetricsRequest,
): Promise<{
  weeks: Map<string, CostWeek>;
  runs: number;
  truncated: boolean;
  unreadable: { count: number; runs: UnreadableRun[] };
}> {
  const conditions = [
    "WorkflowType = 'interpreter'",
    `StartTime >= '${request.from.toISOString()}'`,
    `StartTime < '${request.to.toISOString()}'`,
  ];
  if (request.workflowId) conditions.push(`${searchKeys.workflow.name} = '${request.workflowId.replace(/'/g, '')}'`);
  const maxRuns = request.maxRuns ?? 1000;
  const ids: string[] = [];
  let truncated = false;
  for await (const run of client.workflow.list({ query: conditions.join(' AND ') })) {
    if (ids.length >= maxRuns) {
      truncated = true;
      break;
    }
    ids.push(run.workflowId);
  }
  const weeks = new Map<string, CostWeek>();
  const unreadable = { count: 0, runs: [] as UnreadableRun[] };
  // A history that cannot be read is not a run that cost $0: it is counted and named.
  const read = (runId: string) =>
    fetchLedger(client, runId).catch((error: unknown) => {
      unreadable.count += 1;
      if (unreadable.runs.length < NAMED_UNREADABLE)
        unreadable.runs.push({ runId, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    });
  for (let i = 0; i < ids.length; i += 8) {
    const ledgers = await Promise.all(ids.slice(i, i + 8).map(read));
    for (const ledger of ledgers) {
      if (!ledger) continue;
      const key = `${ledger.workflow.id}/${isoWeek(new Date(ledger.startedAt))}`;
      const week = weeks.get(key) ?? { actions: 0, costUsd: 0 };
      for (const entry of ledger.entries) {
        // An action is a node that executed here: not the trigger, not an output reused from an earlier run.
        if (
          entry.attempt === 0 ||
          entry.tier === 'recorded' ||
          (entry.nodeId === ledger.entries[0]?.nodeId && entry.tier === 'none')
        )
          continue;
        week.actions += 1;
        week.costUsd += entry.costUsd ?? 0;
      }
      weeks.set(key, week);
    }
  }
  return { weeks, runs: ids.length, truncated, unreadable };
}

export async function workflowMetrics(
  db: Db,
  client: Client,
  request: MetricsRequest,
): Promise<{
  weeks: MetricsWeek[];
  runsRead: number;
  truncated: boolean;
  /** Runs whose history could not be read (their actions and cost are missing from the weeks), the first few named. */
  unreadable: { count: number; runs: UnreadableRun[] };
}> {
  const [reviews, costs] = await Promise.all([
    reviewMetrics(db, {
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      ...(request.workflowId ? { workflowId: request.workflowId } : {}),
    }),
    ledgerCosts(client, request),
  ]);
  const rows = new Map<string, MetricsWeek>();
  const row = (workflowId: string, week: string): MetricsWeek => {
    const key = `${workflowId}/${week}`;
    let found = rows.get(key);
    if (!found) {
      found = {
        week,
        workflowId,
        actions: 0,
        reviews: 0,
        editedOrRejected: 0,
        falsePositiveRate: null,
        meanTimeToCorrectionMs: null,
        costUsd: 0,
        costPerAction: null,
      };
      rows.set(key, found);
    }
    return found;
  };
  for (const review of reviews) {
    Object.assign(row(review.workflowId, review.week), {
      reviews: review.reviews,
      editedOrRejected: review.editedOrRejected,
      falsePositiveRate: review.reviews > 0 ? review.editedOrRejected / review.reviews : null,
      meanTimeToCorrectionMs: review.meanTimeToCorrectionMs,
    });
  }
  for (const [key, cost] of costs.weeks) {
    const [workflowId = '', week = ''] = key.split('/');
    Object.assign(row(workflowId, week), {
      actions: cost.actions,
      costUsd: cost.costUsd,
      costPerAction: cost.actions > 0 ? cost.costUsd / cost.actions : null,
    });
  }
  const weeks = [...rows.values()].sort(
    (a, b) => a.week.localeCompare(b.week) || a.workflowId.localeCompare(b.workflowId),
  );
  return { weeks, runsRead: costs.runs, truncated: costs.truncated, unreadable: costs.unreadable };
}
