import type { Queryable } from './db.ts';

// Review-side metrics of automated actions, per Trellis workflow and ISO week of the decision.
// A review task's workflow_id is the run's Temporal workflow id, `run:<workflowId>:<key>`
// (temporal/runs.ts runWorkflowId), so the Trellis workflow is its second part.

export interface ReviewWeek {
  /** ISO week of the decision, `2026-W07`. */
  week: string;
  workflowId: string;
  /** Decided tasks about an automated output: the machine proposed a value, a person judged it. */
  reviews: number;
  /** Of those, decided `edited` or `rejected`: the automation was wrong. */
  editedOrRejected: number;
  /** Mean of decided_at − created_at over `edited` tasks, in milliseconds; null when none. */
  meanTimeToCorrectionMs: number | null;
}

export interface MetricsQuery {
  workflowId?: string;
  /** Decisions at or after (ISO 8601). */
  from?: string;
  /** Decisions before (ISO 8601). */
  to?: string;
}

/** ISO week of an instant (UTC), as PostgreSQL's `IYYY-"W"IW` prints it. */
export function isoWeek(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export async function reviewMetrics(db: Queryable, query: MetricsQuery = {}): Promise<ReviewWeek[]> {
  const { rows } = await db.query<{
    week: string;
    workflow_id: string;
    reviews: number;
    edited_or_rejected: number;
    mean_ms: number | null;
  }>(
    `select to_char(decided_at at time zone 'UTC', 'IYYY-"W"IW') as week,
            split_part(workflow_id, ':', 2) as workflow_id,
            count(*)::int as reviews,
            count(*) filter (where state in ('edited', 'rejected'))::int as edited_or_rejected,
            (avg(extract(epoch from decided_at - created_at) * 1000) filter (where state = 'edited'))::float8 as mean_ms
     from review_tasks
     where state in ('approved', 'edited', 'rejected')
       and proposed is not null
       and workflow_id like 'run:%'
       and ($1::text is null or split_part(workflow_id, ':', 2) = $1)
       and ($2::timestamptz is null or decided_at >= $2)
       and ($3::timestamptz is null or decided_at < $3)
     group by 1, 2
     order by 1, 2`,
    [query.workflowId ?? null, query.from ?? null, query.to ?? null],
  );
  return rows.map((row) => ({
    week: row.week,
    workflowId: row.workflow_id,
    reviews: row.reviews,
    editedOrRejected: row.edited_or_rejected,
    meanTimeToCorrectionMs: row.mean_ms === null ? null : Math.round(row.mean_ms),
  }));
}
