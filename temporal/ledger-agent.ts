// What the ledger says about an agent node: its steps are activities named agent/<node>/<step>/…
// (temporal/workflows/agent-loop.ts), each with its own tokens and cost in the result's meta.
import type { PreparedAgent, ThinkResult, ToolArgs, ToolResult } from '../agent/types.ts';
import type { CallTier } from '../models/types.ts';

interface StepActivity {
  activityId: string;
  args: unknown;
  result?: unknown;
  failure?: string;
}

export interface AgentSummary {
  costUsd: number;
  tokens: number;
  model?: string;
  /** The tier of the last model call (a person's when no model answered). */
  tier?: CallTier;
  /** One line per model call and tool call, in order: what the inspector lists under the node. */
  notes: string[];
}

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

export function agentSummary(nodeId: string, activities: StepActivity[]): AgentSummary {
  const summary: AgentSummary = { costUsd: 0, tokens: 0, notes: [] };
  const prefix = `agent/${nodeId}/`;
  for (const activity of activities) {
    if (!activity.activityId.startsWith(prefix)) continue;
    const step = activity.activityId.slice(prefix.length);
    if (activity.failure) {
      summary.notes.push(`${step}: failed: ${activity.failure}`);
      continue;
    }
    const result = activity.result as (ThinkResult & Partial<ToolResult>) | undefined;
    const meta = result?.meta ?? {};
    summary.costUsd += meta.costUsd ?? 0;
    summary.tokens += meta.tokens ?? 0;
    if (meta.model && meta.model !== 'none') summary.model = meta.model;
    if (step === 'prepare') {
      const prepared = activity.result as (PreparedAgent & { notes?: string[] }) | undefined;
      if (!prepared) continue;
      const { maxSteps, maxTokens, maxCostUsd, maxWallMs } = prepared.budget;
      const tools = prepared.tools.map((tool) => `${tool.ref} (${tool.policy})`).join(', ');
      summary.notes.push(
        `budget ${maxSteps} steps, ${maxTokens} tokens, ${usd(maxCostUsd)}, ${maxWallMs / 1000} s (${prepared.budgetSource}); tools: ${tools || 'none'}`,
        ...(prepared.notes ?? []),
      );
      continue;
    }
    if (step.endsWith('/think')) {
      if (meta.tier) summary.tier = meta.tier;
      const asked = result?.reply?.toolCalls.map((call) => call.name).join(', ');
      const what = result?.human ? `no answer (${result.human})` : asked ? `calls ${asked}` : 'answers';
      summary.notes.push(`${step}: ${what}; ${meta.tokens ?? 0} tokens, ${usd(meta.costUsd ?? 0)}`);
    } else if (step.includes('/tool/')) {
      const args = activity.args as ToolArgs;
      summary.notes.push(`${step}: ${args.tool.ref} ${result?.ok ? 'ran' : 'did not run'}`);
    }
  }
  return summary;
}
