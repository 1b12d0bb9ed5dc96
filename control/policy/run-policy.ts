import { assertValid } from '../../schemas/ajv.ts';
import type { Queryable } from '../../store/db.ts';
import type { StartDecision } from '../../temporal/workflows/run-types.ts';
import { runPolicySchema, type RunPolicy } from '../schemas/run-policy.ts';
import { describeWindow, insideWindow, nextMonth, nextOpening } from './window.ts';

export const defaultRunPolicy: RunPolicy = { mode: 'foreground' };

export async function getRunPolicy(db: Queryable, workflowId: string): Promise<RunPolicy> {
  const { rows } = await db.query<{ policy: RunPolicy }>(
    'select policy from control_run_policies where workflow_id = $1',
    [workflowId],
  );
  return rows[0]?.policy ?? defaultRunPolicy;
}

export async function setRunPolicy(
  db: Queryable,
  workflowId: string,
  policy: RunPolicy,
  by: string,
): Promise<RunPolicy> {
  assertValid<RunPolicy>(runPolicySchema, policy, 'run policy');
  if (policy.mode === 'background' && !policy.window) throw new Error('a background policy needs a window');
  await db.query(
    `insert into control_run_policies (workflow_id, policy, updated_by) values ($1, $2, $3)
     on conflict (workflow_id) do update set policy = excluded.policy, updated_by = excluded.updated_by, updated_at = now()`,
    [workflowId, JSON.stringify(policy), by],
  );
  return policy;
}

export async function listRunPolicies(db: Queryable): Promise<{ workflowId: string; policy: RunPolicy }[]> {
  const { rows } = await db.query<{ workflow_id: string; policy: RunPolicy }>(
    'select workflow_id, policy from control_run_policies order by workflow_id',
  );
  return rows.map((row) => ({ workflowId: row.workflow_id, policy: row.policy }));
}

/** An agent of the workflow that has spent its month. */
export interface SpentAgent {
  agentId: string;
  spentUsd: number;
  perMonthUsd: number;
}

/**
 * When a run should start and why, from the workflow's policy and its agents' budgets. Kept in
 * the run's input (routing.start), so the run inspector shows when and why it waited.
 */
export function planStart(
  policy: RunPolicy,
  now: Date,
  spent: SpentAgent[] = [],
): { startAt?: Date; decision: StartDecision } {
  const requestedAt = now.toISOString();
  const reasons: string[] = [];
  let startAt: Date | undefined;
  if (spent.length > 0 && policy.onOverBudget === 'wait') {
    startAt = nextMonth(now);
    const agents = spent.map((a) => `${a.agentId} spent $${a.spentUsd.toFixed(4)} of $${a.perMonthUsd}`).join(', ');
    reasons.push(`over budget (${agents}): waits for the next month`);
  }
  if (policy.mode === 'background' && policy.window) {
    const from = startAt ?? now;
    if (!insideWindow(policy.window, from)) {
      startAt = nextOpening(policy.window, from);
      reasons.push(`background workflow: waits for its window ${describeWindow(policy.window)}`);
    } else if (!startAt) {
      reasons.push(`background workflow inside its window ${describeWindow(policy.window)}: starts now`);
    }
  } else if (!startAt) {
    reasons.push('foreground workflow: starts now');
  }
  const decision: StartDecision = {
    mode: policy.mode,
    requestedAt,
    ...(startAt ? { waitedUntil: startAt.toISOString() } : {}),
    reason: reasons.join('; '),
  };
  return { ...(startAt ? { startAt } : {}), decision };
}
