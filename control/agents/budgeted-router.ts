import { Context } from '@temporalio/activity';
import type { CallMeta, ModelRequest, ModelResult, ModelRouter } from '../../models/types.ts';
import type { Queryable } from '../../store/db.ts';
import type { Agent } from '../schemas/agent.ts';
import { agentForNodeType, isOverBudget } from './registry.ts';
import { monthSpend, recordSpend } from './spend.ts';

const tierList = (policy: { tiers?: readonly string[] }) => policy.tiers?.join(', ') || 'a person';

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

type PolicyTier = 'cached' | 'local' | 'provider';

/** Cheapest first; an agent bound to a tier may use it and the ones before it. */
const ladder: PolicyTier[] = ['cached', 'local', 'provider'];

/** Which run, node and attempt is paying, when the call happens inside a node activity. */
export interface CallSite {
  workflowId: string;
  nodeId: string;
  attempt: number;
}

export function activityCallSite(): CallSite | undefined {
  try {
    const { info } = Context.current();
    if (!info.workflowExecution) return undefined;
    return {
      workflowId: info.workflowExecution.workflowId,
      // node/<id>, or an agent's step: agent/<id>/<step>/think.
      nodeId: info.activityId.replace(/^node\//, '').replace(/^agent\/([^/]+)\/.*$/, '$1'),
      attempt: info.attempt,
    };
  } catch {
    return undefined;
  }
}

export interface BudgetOptions {
  now?: () => Date;
  callSite?: () => CallSite | undefined;
}

/**
 * The model router within the agent registry's budgets (wraps models/router.ts, which it does
 * not change): per call it caps the cost and latency at the agent's per-action budget and at
 * what is left of its month; an agent whose month is spent degrades to the tiers below the one
 * it is bound to (or goes to a person), and the ledger notes say which and why. Every call is
 * metered in `control_spend`.
 */
export class BudgetedModelRouter implements ModelRouter {
  readonly #inner: ModelRouter;
  readonly #db: Queryable;
  readonly #now: () => Date;
  readonly #callSite: () => CallSite | undefined;

  constructor(inner: ModelRouter, db: Queryable, options: BudgetOptions = {}) {
    this.#inner = inner;
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#callSite = options.callSite ?? activityCallSite;
  }

  get providerConfigured(): boolean {
    return this.#inner.providerConfigured;
  }

  async call<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
    const agent = await agentForNodeType(this.#db, request.nodeType);
    if (!agent || !agent.enabled) {
      const result = await this.#inner.call(request);
      await this.#meter(agent?.id ?? `${request.nodeType}@?`, request.nodeType, result.meta);
      return result;
    }
    const now = this.#now();
    const spent = await monthSpend(this.#db, agent.id, now);
    const { policy, notes, refuse, monthCapped } = this.#limit(agent, request.policy, spent, now);
    if (refuse) {
      const meta: CallMeta = {
        tier: 'human',
        model: 'none',
        tokens: 0,
        costUsd: 0,
        latencyMs: 0,
        confidence: 0,
        notes,
      };
      return { status: 'human', reason: refuse, meta };
    }
    const result = await this.#inner.call({ ...request, policy });
    result.meta.notes = [...notes, ...result.meta.notes];
    await this.#meter(agent.id, request.nodeType, result.meta);
    if (result.status === 'ok' || !monthCapped) return result;
    // What is left of the month did not cover the call: the cheaper tiers get their turn
    // rather than a person, as they would once the month is spent.
    const degraded = this.#degrade(agent, request.policy);
    const left = usd(Math.max(0, agent.budget.perMonthUsd - spent));
    const why = `budget: ${agent.id} has ${left} left this month, not enough for ${agent.tier}; degraded to ${tierList(degraded)}`;
    const retry = await this.#inner.call({ ...request, policy: degraded });
    await this.#meter(agent.id, request.nodeType, retry.meta);
    retry.meta.notes = [...result.meta.notes, why, ...retry.meta.notes];
    retry.meta.costUsd += result.meta.costUsd;
    retry.meta.tokens += result.meta.tokens;
    return retry;
  }

  /** The agent's policy with only the tiers cheaper than the one it is bound to, at no cost. */
  #degrade(agent: Agent, requested: ModelRequest<unknown>['policy']): ModelRequest<unknown>['policy'] {
    const bound = ladder.indexOf(agent.tier as PolicyTier);
    return { ...requested, tiers: ladder.slice(0, Math.max(0, bound)), maxCostUsd: 0 };
  }

  #limit(
    agent: Agent,
    requested: ModelRequest<unknown>['policy'],
    spent: number,
    now: Date,
  ): { policy: ModelRequest<unknown>['policy']; notes: string[]; refuse?: string; monthCapped?: boolean } {
    const notes: string[] = [];
    const policy = { ...requested };
    const { budget } = agent;
    const month = now.toISOString().slice(0, 7);
    if (isOverBudget(agent, spent)) {
      const why = `budget: ${agent.id} spent ${usd(spent)} of its ${usd(budget.perMonthUsd)} monthly budget (${month})`;
      if (budget.onOverBudget === 'human') {
        notes.push(`${why}; a person does this instead`);
        return { policy, notes, refuse: `${why}; over budget, so a person does this` };
      }
      // 'wait' is for runs not yet started (control/policy); a call already running degrades.
      const degraded = this.#degrade(agent, requested);
      notes.push(`${why}; degraded from ${agent.tier} to ${tierList(degraded)}`);
      return { policy: degraded, notes };
    }
    const left = Math.max(0, budget.perMonthUsd - spent);
    // Near the end of the month the call may cost at most what is left.
    const monthCapped = agent.tier === 'provider' && left < Math.min(budget.perActionUsd, policy.maxCostUsd);
    const cap = monthCapped ? left : budget.perActionUsd;
    if (cap < policy.maxCostUsd) {
      const which = monthCapped ? `${usd(left)} left this month` : 'per action';
      notes.push(`budget: maxCostUsd ${usd(policy.maxCostUsd)} capped at ${usd(cap)} (${agent.id}, ${which})`);
      policy.maxCostUsd = cap;
    }
    if (budget.latencyMs < policy.maxLatencyMs) {
      notes.push(`budget: maxLatencyMs ${policy.maxLatencyMs} capped at ${budget.latencyMs} (${agent.id})`);
      policy.maxLatencyMs = budget.latencyMs;
    }
    return { policy, notes, monthCapped };
  }

  async #meter(agentId: string, nodeType: string, meta: CallMeta): Promise<void> {
    const site = this.#callSite();
    try {
      await recordSpend(this.#db, {
        agentId,
        nodeType,
        ...(site ?? {}),
        tier: meta.tier,
        model: meta.model,
        tokens: meta.tokens,
        costUsd: meta.costUsd,
      });
    } catch (error) {
      // The money is spent either way; failing the node would spend it again on retry.
      meta.notes.push(`budget: could not meter this call (${(error as Error).message})`);
    }
  }
}
