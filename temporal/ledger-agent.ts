// What the ledger says about an agent node: its steps are activities named agent/<node>/<step>/…
// (temporal/workflows/agent-loop.ts), each with its own tokens and cost in the result's meta.
import type { PreparedAgent, ThinkResult, ToolArgs, ToolResult } from '../agent/types.ts';
import type { CallTier } from '../models/types.ts';
import type { AgentTimeline } from '../schemas/ledger-entry.ts';

interface StepActivity {
  activityId: string;
  args: unknown;
  result?: unknown;
  failure?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface AgentSummary {
  costUsd: number;
  tokens: number;
  model?: string;
  /** The tier of the last model call (a person's when no model answered). */
  tier?: CallTier;
  /** One line per model call and tool call, in order: what the inspector lists under the node. */
  notes: string[];
  /** The same steps as data, with the budget beside what was used: the inspector's agent timeline. */
  timeline?: AgentTimeline;
}

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

export function agentSummary(nodeId: string, activities: StepActivity[]): AgentSummary {
  const summary: AgentSummary = { costUsd: 0, tokens: 0, notes: [] };
  const steps: AgentTimeline['steps'] = [];
  let budget: AgentTimeline['budget'] | undefined;
  let modelCalls = 0;
  const policies = new Map<string, 'auto' | 'ask' | 'deny'>();
  const prefix = `agent/${nodeId}/`;
  for (const activity of activities) {
    if (!activity.activityId.startsWith(prefix)) continue;
    const step = activity.activityId.slice(prefix.length);
    const [stepNumber, kind, call] = step.split('/');
    const when = {
      ...(activity.startedAt ? { startedAt: activity.startedAt } : {}),
      ...(activity.endedAt ? { endedAt: activity.endedAt } : {}),
    };
    const place = {
      id: step,
      step: Number(stepNumber),
      ...(kind === 'tool' && call ? { call: Number(call) } : {}),
    };
    if (activity.failure) {
      summary.notes.push(`${step}: failed: ${activity.failure}`);
      if (kind === 'think' || kind === 'tool')
        steps.push({ ...place, kind, summary: `failed: ${activity.failure}`, ok: false, ...when });
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
      budget = { maxSteps, maxTokens, maxCostUsd, maxWallMs };
      for (const tool of prepared.tools) policies.set(tool.ref, tool.policy);
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
      modelCalls += 1;
      steps.push({
        ...place,
        kind: 'think',
        summary: what,
        tokens: meta.tokens ?? 0,
        costUsd: meta.costUsd ?? 0,
        ok: !result?.human,
        ...when,
      });
    } else if (step.includes('/tool/')) {
      const args = activity.args as ToolArgs;
      summary.notes.push(`${step}: ${args.tool.ref} ${result?.ok ? 'ran' : 'did not run'}`);
      steps.push({
        ...place,
        kind: 'tool',
        tool: args.tool.ref,
        ...(policies.has(args.tool.ref) ? { policy: policies.get(args.tool.ref)! } : {}),
        summary: `${args.tool.ref} ${result?.ok ? 'ran' : 'did not run'}`,
        ok: Boolean(result?.ok),
        ...(meta.tokens ? { tokens: meta.tokens } : {}),
        ...(meta.costUsd ? { costUsd: meta.costUsd } : {}),
        ...when,
      });
    }
  }
  if (budget)
    summary.timeline = {
      budget,
      used: { steps: modelCalls, tokens: summary.tokens, costUsd: summary.costUsd },
      steps,
    };
  return summary;
}
