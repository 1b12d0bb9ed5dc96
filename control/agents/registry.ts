import { assertValid } from '../../schemas/ajv.ts';
import type { Queryable } from '../../store/db.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import { ControlError } from '../deps.ts';
import { agentSchema, type Agent, type AgentBudget } from '../schemas/agent.ts';
import { seedAgents } from './seed.ts';
import { monthSpend, monthStart } from './spend.ts';

interface AgentRow {
  id: string;
  node_type: string;
  node_version: number;
  tier: Agent['tier'];
  role: string;
  capabilities: Agent['capabilities'];
  budget: AgentBudget;
  enabled: boolean;
  origin: string;
}

const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  nodeType: row.node_type,
  nodeVersion: row.node_version,
  tier: row.tier,
  role: row.role,
  capabilities: row.capabilities,
  budget: row.budget,
  enabled: row.enabled,
  origin: row.origin,
});

/** Adds the seed's agents that are missing; an operator's edits to existing ones are kept. */
export async function ensureSeedAgents(db: Queryable, registry: NodeRegistry): Promise<number> {
  let added = 0;
  for (const agent of seedAgents(registry)) {
    const { rowCount } = await db.query(
      `insert into control_agents (id, node_type, node_version, tier, role, capabilities, budget, enabled, origin)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing`,
      [
        agent.id,
        agent.nodeType,
        agent.nodeVersion,
        agent.tier,
        agent.role,
        JSON.stringify(agent.capabilities),
        JSON.stringify(agent.budget),
        agent.enabled,
        agent.origin ?? 'seed',
      ],
    );
    added += rowCount ?? 0;
  }
  return added;
}

export async function getAgent(db: Queryable, id: string): Promise<Agent | undefined> {
  const { rows } = await db.query<AgentRow>('select * from control_agents where id = $1', [id]);
  return rows[0] && toAgent(rows[0]);
}

/** The agent a model call belongs to: the node type's, highest version first. */
export async function agentForNodeType(db: Queryable, nodeType: string): Promise<Agent | undefined> {
  const { rows } = await db.query<AgentRow>(
    'select * from control_agents where node_type = $1 order by node_version desc limit 1',
    [nodeType],
  );
  return rows[0] && toAgent(rows[0]);
}

export interface AgentWithSpend extends Agent {
  spend: { month: string; costUsd: number; calls: number; remainingUsd: number; overBudget: boolean };
}

/** The registry as the API and the editor list it: every agent with this month's spend. */
export async function listAgents(db: Queryable, now: Date = new Date()): Promise<AgentWithSpend[]> {
  const { rows } = await db.query<AgentRow>('select * from control_agents order by node_type, node_version');
  const month = monthStart(now);
  const { rows: spent } = await db.query<{ agent_id: string; cost_usd: number; calls: number }>(
    'select agent_id, cost_usd, calls from control_agent_spend where month = $1::timestamp',
    [month.toISOString().slice(0, 19)],
  );
  return rows.map((row) => {
    const agent = toAgent(row);
    const used = spent.find((s) => s.agent_id === agent.id);
    const costUsd = used?.cost_usd ?? 0;
    return {
      ...agent,
      spend: {
        month: month.toISOString().slice(0, 7),
        costUsd,
        calls: used?.calls ?? 0,
        remainingUsd: Math.max(0, agent.budget.perMonthUsd - costUsd),
        overBudget: isOverBudget(agent, costUsd),
      },
    };
  });
}

/** Only the provider tier costs money: an agent bound to it is over budget once its month is spent. */
export function isOverBudget(agent: Agent, spentUsd: number): boolean {
  return agent.tier === 'provider' && spentUsd >= agent.budget.perMonthUsd;
}

/** Changes an agent's budget or switches it off; validated against the agent schema. */
export async function updateAgent(
  db: Queryable,
  id: string,
  changes: { budget?: Partial<AgentBudget>; enabled?: boolean; role?: string },
): Promise<Agent> {
  const current = await getAgent(db, id);
  if (!current) throw new ControlError(`agent ${id} does not exist`, 404);
  const next: Agent = {
    ...current,
    ...(changes.role ? { role: changes.role } : {}),
    ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
    budget: { ...current.budget, ...changes.budget },
  };
  assertValid<Agent>(agentSchema, next, 'agent');
  await db.query('update control_agents set budget = $2, enabled = $3, role = $4, updated_at = now() where id = $1', [
    id,
    JSON.stringify(next.budget),
    next.enabled,
    next.role,
  ]);
  return next;
}

/** Agents of the plan's node types that have spent their month (for run policies that wait). */
export async function spentAgentsOf(
  db: Queryable,
  nodeTypes: string[],
  now: Date,
): Promise<{ agentId: string; spentUsd: number; perMonthUsd: number }[]> {
  const out: { agentId: string; spentUsd: number; perMonthUsd: number }[] = [];
  for (const type of [...new Set(nodeTypes)]) {
    const agent = await agentForNodeType(db, type);
    if (!agent || !agent.enabled) continue;
    const spentUsd = await monthSpend(db, agent.id, now);
    if (isOverBudget(agent, spentUsd)) out.push({ agentId: agent.id, spentUsd, perMonthUsd: agent.budget.perMonthUsd });
  }
  return out;
}
