// Spend per agent per month. Where the money is counted, and why there:
// - The ledger (Temporal history) is the record of what a run did, including each node's
//   costUsd. But it keeps only the attempt that finished: an attempt that called the provider
//   and then failed (timeout, crash, a bad reply after payment) spent money no ledger shows.
// - A budget check runs before every model call; summing ledgers means fetching every history
//   of the month each time, which grows with the number of runs.
// So the budgeted router (budgeted-router.ts) meters each call where it is paid for: one row per
// call in `control_spend`, written by the same code that learns the cost, naming run, node and
// attempt. The `control_agent_spend` view sums it per agent and month. It is not a second
// account of what runs did: reconcileSpend() checks the meter against the ledger of any run.
import type { Client } from '@temporalio/client';
import type { Queryable } from '../../store/db.ts';
import { fetchLedger } from '../../temporal/rerun.ts';

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Dollars an agent spent in the calendar month (UTC) of `now`, from the spend view. */
export async function monthSpend(db: Queryable, agentId: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ cost_usd: number }>(
    'select cost_usd from control_agent_spend where agent_id = $1 and month = $2::timestamp',
    [agentId, monthStart(now).toISOString().slice(0, 19)],
  );
  return rows[0]?.cost_usd ?? 0;
}

export interface MeteredCall {
  agentId: string;
  nodeType: string;
  workflowId?: string;
  nodeId?: string;
  attempt?: number;
  tier: string;
  model: string;
  tokens: number;
  costUsd: number;
  at?: Date;
}

export async function recordSpend(db: Queryable, call: MeteredCall): Promise<void> {
  await db.query(
    `insert into control_spend (agent_id, node_type, workflow_id, node_id, attempt, tier, model, tokens, cost_usd, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, now()))`,
    [
      call.agentId,
      call.nodeType,
      call.workflowId ?? null,
      call.nodeId ?? null,
      call.attempt ?? null,
      call.tier,
      call.model,
      call.tokens,
      call.costUsd,
      call.at ?? null,
    ],
  );
}

export interface SpendCheck {
  workflowId: string;
  nodeId: string;
  /** The ledger's cost for the node (the attempt that finished). */
  ledgerUsd: number;
  /** The meter's cost for that same attempt. */
  meteredUsd: number;
  /** Money metered for attempts the ledger does not show (failed attempts). */
  unledgeredUsd: number;
  agrees: boolean;
}

/** Compares the meter with the ledger of each run: the finished attempt's cost must agree. */
export async function reconcileSpend(client: Client, db: Queryable, workflowIds: string[]): Promise<SpendCheck[]> {
  const checks: SpendCheck[] = [];
  for (const workflowId of workflowIds) {
    const ledger = await fetchLedger(client, workflowId);
    const { rows } = await db.query<{ node_id: string; attempt: number | null; cost_usd: number }>(
      `select node_id, attempt, sum(cost_usd)::float8 as cost_usd from control_spend
       where workflow_id = $1 group by node_id, attempt`,
      [workflowId],
    );
    for (const entry of ledger.entries) {
      const metered = rows.filter((row) => row.node_id === entry.nodeId);
      if (metered.length === 0 && !entry.costUsd) continue;
      const finished = metered.find((row) => row.attempt === entry.attempt)?.cost_usd ?? 0;
      const other = metered.filter((row) => row.attempt !== entry.attempt).reduce((sum, row) => sum + row.cost_usd, 0);
      const ledgerUsd = entry.costUsd ?? 0;
      checks.push({
        workflowId,
        nodeId: entry.nodeId,
        ledgerUsd,
        meteredUsd: finished,
        unledgeredUsd: other,
        agrees: Math.abs(finished - ledgerUsd) < 1e-9,
      });
    }
  }
  return checks;
}
