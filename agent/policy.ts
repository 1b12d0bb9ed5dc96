// Which tools an agent may call how, and within which budget. Pure: no I/O, safe in workflow code.
import type { AgentBudgetConfig, ToolPolicy } from '../nodes/agent/definition.ts';
import type { AgentBudget, ToolTarget } from './types.ts';

/** Used when the agent registry has no entry for the node type: small on purpose. */
export const DEFAULT_AGENT_BUDGET: AgentBudget = {
  maxSteps: 8,
  maxTokens: 20_000,
  maxCostUsd: 0.25,
  maxWallMs: 10 * 60_000,
};

export function parseToolRef(ref: string): ToolTarget {
  if (ref.startsWith('node:')) return { kind: 'node', nodeType: ref.slice('node:'.length) };
  const match = /^mcp:([^/]+)\/(.+)$/.exec(ref);
  if (!match) throw new Error(`tool ref "${ref}" is neither node:<type> nor mcp:<serverId>/<tool>`);
  return { kind: 'mcp', serverId: match[1] as string, tool: match[2] as string };
}

/**
 * A tool that can change things asks a person unless the config says otherwise; a read-only node
 * runs on its own. Every MCP tool counts as side-effecting: Trellis cannot tell what it does.
 */
export function toolPolicy(declared: ToolPolicy | undefined, sideEffects: boolean): ToolPolicy {
  return declared ?? (sideEffects ? 'ask' : 'auto');
}

/** A function name the OpenAI protocol accepts (^[a-zA-Z0-9_-]{1,64}$), unique within the node. */
export function modelToolName(target: ToolTarget, taken: Set<string>): string {
  const base = (target.kind === 'node' ? target.nodeType : target.tool).replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 60);
  let name = base || 'tool';
  for (let n = 2; taken.has(name); n += 1) name = `${base.slice(0, 57)}_${n}`;
  taken.add(name);
  return name;
}

/**
 * The budget the loop runs within: the registry's (one action = one agent run, its latency = the
 * loop's wall time) else the defaults; the node's config may only lower each of them.
 */
export function resolveBudget(
  config: AgentBudgetConfig | undefined,
  registry: { perActionUsd: number; latencyMs: number } | undefined,
): AgentBudget {
  const base: AgentBudget = registry
    ? { ...DEFAULT_AGENT_BUDGET, maxCostUsd: registry.perActionUsd, maxWallMs: registry.latencyMs }
    : DEFAULT_AGENT_BUDGET;
  const lower = (key: keyof AgentBudget) => Math.min(base[key], config?.[key] ?? base[key]);
  return {
    maxSteps: lower('maxSteps'),
    maxTokens: lower('maxTokens'),
    maxCostUsd: lower('maxCostUsd'),
    maxWallMs: lower('maxWallMs'),
  };
}
