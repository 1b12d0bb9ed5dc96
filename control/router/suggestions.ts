import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../store/db.ts';
import { ControlError } from '../deps.ts';
import type { RoutingRule } from '../schemas/routing.ts';
import { matches } from './evaluate.ts';
import { activeRuleSet, saveRuleSet, type StoredRuleSet } from './rule-sets.ts';

/** The same triage choice this many times in a row, for one intent and client, suggests a rule. */
export const SUGGEST_AFTER = 3;

export interface RuleSuggestion {
  id: string;
  intent: string;
  clientId?: string;
  workflowId: string;
  version: number;
  minConfidence: number;
  /** "route billing from client-northwind to change-log?" */
  text: string;
  evidence: { taskId: string; eventId: string; confidence: number | null; reviewer: string; chosenAt: string }[];
  status: 'open' | 'accepted' | 'dismissed';
  ruleSetVersion?: number;
  createdAt: string;
}

interface SuggestionRow {
  id: string;
  intent: string;
  client_id: string | null;
  workflow_id: string;
  version: number;
  min_confidence: number;
  evidence: RuleSuggestion['evidence'];
  status: RuleSuggestion['status'];
  rule_set_version: number | null;
  created_at: Date;
}

const textOf = (row: { intent: string; client_id: string | null; workflow_id: string }) =>
  `route ${row.intent}${row.client_id ? ` from client ${row.client_id}` : ''} to ${row.workflow_id}?`;

function toSuggestion(row: SuggestionRow): RuleSuggestion {
  return {
    id: row.id,
    intent: row.intent,
    ...(row.client_id ? { clientId: row.client_id } : {}),
    workflowId: row.workflow_id,
    version: row.version,
    minConfidence: row.min_confidence,
    text: textOf(row),
    evidence: row.evidence,
    status: row.status,
    ...(row.rule_set_version !== null ? { ruleSetVersion: row.rule_set_version } : {}),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * After a triage choice: when the last SUGGEST_AFTER choices for this intent and client all
 * picked the same workflow, and the live rules would not already route such an event there,
 * stores a suggested rule (once while it is open). Returns it when this call created it.
 */
export async function suggestFromChoices(
  db: Queryable,
  pair: { intent?: string; clientId?: string },
): Promise<RuleSuggestion | undefined> {
  if (!pair.intent) return undefined;
  const { rows } = await db.query<{
    task_id: string;
    event_id: string;
    confidence: number | null;
    workflow_id: string | null;
    version: number | null;
    reviewer: string;
    chosen_at: Date;
  }>(
    `select task_id, event_id, confidence, workflow_id, version, reviewer, chosen_at from control_triage_choices
     where intent = $1 and client_id is not distinct from $2
     order by chosen_at desc, task_id desc limit $3`,
    [pair.intent, pair.clientId ?? null, SUGGEST_AFTER],
  );
  if (rows.length < SUGGEST_AFTER) return undefined;
  const workflowId = rows[0]?.workflow_id;
  if (!workflowId || rows.some((row) => row.workflow_id !== workflowId)) return undefined;
  const version = Math.max(...rows.map((row) => row.version ?? 1));
  const lowest = Math.min(...rows.map((row) => row.confidence ?? 0));
  const minConfidence = Math.floor(lowest * 100) / 100;

  const live = await activeRuleSet(db);
  const facts = {
    intent: pair.intent,
    confidence: minConfidence,
    sourceKind: '',
    ...(pair.clientId ? { clientId: pair.clientId } : {}),
  };
  const first = live.rules.find((rule) => matches({ ...rule, sourceKind: undefined }, facts));
  if (first && first.workflowId === workflowId && first.minConfidence <= minConfidence) return undefined;

  const id = `suggestion-${createHash('sha256')
    .update(JSON.stringify([pair.intent, pair.clientId ?? null, workflowId, rows.map((r) => r.task_id)]))
    .digest('hex')
    .slice(0, 16)}`;
  const evidence = rows.map((row) => ({
    taskId: row.task_id,
    eventId: row.event_id,
    confidence: row.confidence,
    reviewer: row.reviewer,
    chosenAt: row.chosen_at.toISOString(),
  }));
  const inserted = await db.query<SuggestionRow>(
    `insert into control_rule_suggestions (id, intent, client_id, workflow_id, version, min_confidence, evidence)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict do nothing returning *`,
    [id, pair.intent, pair.clientId ?? null, workflowId, version, minConfidence, JSON.stringify(evidence)],
  );
  return inserted.rows[0] && toSuggestion(inserted.rows[0]);
}

export async function listSuggestions(
  db: Queryable,
  { status }: { status?: RuleSuggestion['status'] } = {},
): Promise<RuleSuggestion[]> {
  const { rows } = await db.query<SuggestionRow>(
    `select * from control_rule_suggestions where ($1::text is null or status = $1) order by created_at desc, id`,
    [status ?? null],
  );
  return rows.map(toSuggestion);
}

async function openSuggestion(db: Queryable, id: string): Promise<SuggestionRow> {
  const { rows } = await db.query<SuggestionRow>('select * from control_rule_suggestions where id = $1', [id]);
  const row = rows[0];
  if (!row) throw new ControlError(`suggestion ${id} does not exist`, 404);
  if (row.status !== 'open') throw new ControlError(`suggestion ${id} is already ${row.status}`);
  return row;
}

/**
 * Accepting writes the live rules with the suggested rule first, as a draft rule set: like any
 * rule change it goes live only by promoting a routing canary report on past events.
 */
export async function acceptSuggestion(db: Db, id: string, by: string): Promise<StoredRuleSet> {
  const row = await openSuggestion(db, id);
  const live = await activeRuleSet(db);
  const rule: RoutingRule = {
    id: `${row.intent}-${row.client_id ?? 'any'}-${row.workflow_id}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 100),
    description: `Suggested from ${row.evidence.length} triage choices: ${textOf(row)}`,
    intent: row.intent as RoutingRule['intent'],
    ...(row.client_id ? { clientId: row.client_id } : {}),
    minConfidence: row.min_confidence,
    workflowId: row.workflow_id,
    version: row.version,
  };
  const draft = await saveRuleSet(
    db,
    { rules: [rule, ...live.rules.filter((r) => r.id !== rule.id)], default: live.default },
    { createdBy: by, note: `suggestion ${id}: ${textOf(row)}` },
  );
  await db.query(
    `update control_rule_suggestions set status = 'accepted', rule_set_version = $2, decided_at = now(), decided_by = $3 where id = $1`,
    [id, draft.version, by],
  );
  return draft;
}

export async function dismissSuggestion(db: Queryable, id: string, by: string): Promise<void> {
  await openSuggestion(db, id);
  await db.query(
    `update control_rule_suggestions set status = 'dismissed', decided_at = now(), decided_by = $2 where id = $1`,
    [id, by],
  );
}
