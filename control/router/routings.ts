import type { Queryable } from '../../store/db.ts';
import type { RoutingDecision, RunInput } from '../../temporal/workflows/run-types.ts';
import type { TriageCandidate } from './evaluate.ts';

export type RoutingOutcome = 'run' | 'triage' | 'dismissed';

/** What the router decided for one event; the row's key (the event id) makes routing happen once. */
export interface Routing {
  eventId: string;
  outcome: RoutingOutcome;
  decision: RoutingDecision;
  /** The run's trigger (mapped input), kept so a retry starts exactly the same run. */
  trigger?: RunInput['trigger'];
  candidates?: TriageCandidate[];
  ruleSetVersion?: number;
  ruleId?: string;
  intent?: string;
  confidence?: number;
  clientId?: string;
  projectId?: string;
  sourceKind?: string;
  workflowId?: string;
  version?: number;
  runId?: string;
  triageTaskId?: string;
  createdAt: string;
  resolvedAt?: string;
}

interface RoutingRow {
  event_id: string;
  outcome: RoutingOutcome;
  rule_set_version: number | null;
  rule_id: string | null;
  intent: string | null;
  confidence: number | null;
  client_id: string | null;
  project_id: string | null;
  source_kind: string | null;
  workflow_id: string | null;
  version: number | null;
  run_id: string | null;
  triage_task_id: string | null;
  decision: { decision: RoutingDecision; trigger?: RunInput['trigger']; candidates?: TriageCandidate[] };
  created_at: Date;
  resolved_at: Date | null;
}

const some = <T>(key: string, value: T | null) => (value === null ? {} : { [key]: value });

function toRouting(row: RoutingRow): Routing {
  return {
    eventId: row.event_id,
    outcome: row.outcome,
    decision: row.decision.decision,
    ...(row.decision.trigger ? { trigger: row.decision.trigger } : {}),
    ...(row.decision.candidates ? { candidates: row.decision.candidates } : {}),
    ...some('ruleSetVersion', row.rule_set_version),
    ...some('ruleId', row.rule_id),
    ...some('intent', row.intent),
    ...some('confidence', row.confidence),
    ...some('clientId', row.client_id),
    ...some('projectId', row.project_id),
    ...some('sourceKind', row.source_kind),
    ...some('workflowId', row.workflow_id),
    ...some('version', row.version),
    ...some('runId', row.run_id),
    ...some('triageTaskId', row.triage_task_id),
    createdAt: row.created_at.toISOString(),
    ...(row.resolved_at ? { resolvedAt: row.resolved_at.toISOString() } : {}),
  };
}

/**
 * Claims the event for this decision. Returns the stored routing and whether this call claimed
 * it; a second call (a duplicate delivery, a retry) gets the first decision back.
 */
export async function claimRouting(
  db: Queryable,
  routing: Omit<Routing, 'createdAt'>,
): Promise<{ routing: Routing; claimed: boolean }> {
  const { rows } = await db.query<RoutingRow>(
    `insert into control_routings (event_id, outcome, rule_set_version, rule_id, intent, confidence, client_id,
       project_id, source_kind, workflow_id, version, run_id, triage_task_id, decision)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (event_id) do nothing returning *`,
    [
      routing.eventId,
      routing.outcome,
      routing.ruleSetVersion ?? null,
      routing.ruleId ?? null,
      routing.intent ?? null,
      routing.confidence ?? null,
      routing.clientId ?? null,
      routing.projectId ?? null,
      routing.sourceKind ?? null,
      routing.workflowId ?? null,
      routing.version ?? null,
      routing.runId ?? null,
      routing.triageTaskId ?? null,
      JSON.stringify({
        decision: routing.decision,
        ...(routing.trigger ? { trigger: routing.trigger } : {}),
        ...(routing.candidates ? { candidates: routing.candidates } : {}),
      }),
    ],
  );
  if (rows[0]) return { routing: toRouting(rows[0]), claimed: true };
  const existing = await getRouting(db, routing.eventId);
  if (!existing) throw new Error(`routing of event ${routing.eventId} vanished after a conflict`);
  return { routing: existing, claimed: false };
}

export async function getRouting(db: Queryable, eventId: string): Promise<Routing | undefined> {
  const { rows } = await db.query<RoutingRow>('select * from control_routings where event_id = $1', [eventId]);
  return rows[0] && toRouting(rows[0]);
}

/** A triaged event got its workflow (or was dismissed). */
export async function resolveRouting(
  db: Queryable,
  eventId: string,
  change: { outcome: RoutingOutcome; workflowId?: string; version?: number; runId?: string; decision: RoutingDecision },
): Promise<void> {
  await db.query(
    `update control_routings set outcome = $2, workflow_id = $3, version = $4, run_id = $5,
       decision = decision || jsonb_build_object('decision', $6::jsonb), resolved_at = now()
     where event_id = $1`,
    [
      eventId,
      change.outcome,
      change.workflowId ?? null,
      change.version ?? null,
      change.runId ?? null,
      JSON.stringify(change.decision),
    ],
  );
}

export interface RoutingQuery {
  from?: string;
  to?: string;
  clientId?: string;
  limit?: number;
}

/** Routed events, oldest first: the slice a routing canary replays. */
export async function listRoutings(db: Queryable, query: RoutingQuery = {}): Promise<Routing[]> {
  const { rows } = await db.query<RoutingRow>(
    `select * from control_routings
     where ($1::timestamptz is null or created_at >= $1) and ($2::timestamptz is null or created_at < $2)
       and ($3::text is null or client_id = $3)
     order by created_at, event_id limit $4`,
    [query.from ?? null, query.to ?? null, query.clientId ?? null, Math.min(query.limit ?? 200, 2000)],
  );
  return rows.map(toRouting);
}
