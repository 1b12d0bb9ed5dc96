// Budget checks before every model or tool call. Pure: the loop passes workflow time in.
import type { AgentBudget, AgentSpent } from './types.ts';

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

/**
 * Why the loop may not make another call, or undefined when it may. `nextIsModelCall`: a step
 * budget stops the next model call; a tool call the model already asked for may still run.
 */
export function budgetStop(budget: AgentBudget, spent: AgentSpent, nextIsModelCall: boolean): string | undefined {
  if (nextIsModelCall && spent.steps >= budget.maxSteps)
    return `step budget spent: ${spent.steps} of ${budget.maxSteps} model calls`;
  if (spent.tokens >= budget.maxTokens) return `token budget spent: ${spent.tokens} of ${budget.maxTokens} tokens`;
  if (spent.costUsd >= budget.maxCostUsd && budget.maxCostUsd > 0)
    return `cost budget spent: ${usd(spent.costUsd)} of ${usd(budget.maxCostUsd)}`;
  if (spent.elapsedMs >= budget.maxWallMs)
    return `time budget spent: ${Math.round(spent.elapsedMs / 1000)} s of ${Math.round(budget.maxWallMs / 1000)} s`;
  return undefined;
}
