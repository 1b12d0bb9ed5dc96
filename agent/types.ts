// Shapes shared by the interpreter's agent loop (workflow code) and the agent activities. Types only.
import type { AgentCall, ToolPolicy } from '../nodes/agent/definition.ts';
import type { CallMeta, ChatMessage, ToolCall, ToolSpec } from '../models/types.ts';

export type { AgentCall, ToolPolicy };

/** Where a tool call goes: a Trellis node type, or a tool of a registered MCP server. */
export type ToolTarget = { kind: 'node'; nodeType: string } | { kind: 'mcp'; serverId: string; tool: string };

/** A configured tool, resolved once per run by the prepare activity (so the loop never reads the registry). */
export interface ResolvedTool {
  /** The name the model sees and calls (unique within the node). */
  name: string;
  ref: string;
  target: ToolTarget;
  policy: ToolPolicy;
  spec: ToolSpec;
  /** For node tools: the node's config. */
  config: Record<string, unknown>;
  /** Node tools: ports taken from the agent's own input, not from the model (see agent/review-fields.ts). */
  bound?: string[];
  /** The tool activity's timeout and attempts: the node type's own (mcp-tool's for MCP tools). */
  timeoutMs: number;
  maximumAttempts: number;
}

export interface AgentBudget {
  maxSteps: number;
  maxTokens: number;
  maxCostUsd: number;
  maxWallMs: number;
}

export interface AgentSpent {
  steps: number;
  tokens: number;
  costUsd: number;
  elapsedMs: number;
}

export interface RunRef {
  workflowId: string;
  runId: string;
  /** Not used by the activities: it tells the payload codec whose key seals arguments and results. */
  clientId?: string;
}

export interface PrepareArgs {
  nodeId: string;
  config: Record<string, unknown>;
  input: Record<string, unknown>;
  run: RunRef;
}

export interface PreparedAgent {
  nodeId: string;
  clientId?: string;
  messages: ChatMessage[];
  tools: ResolvedTool[];
  budget: AgentBudget;
  /** Where the budget defaults came from, for the ledger. */
  budgetSource: string;
  /** Hash of the tools as configured (refs, policies, configs): an approval binds to it. */
  policyVersion: string;
  tiers: ('local' | 'provider')[];
}

export interface ThinkArgs {
  nodeId: string;
  step: number;
  messages: ChatMessage[];
  tools: ToolSpec[];
  tiers: ('local' | 'provider')[];
  /** What is left of the node's cost budget: no single call may spend more. */
  maxCostUsd: number;
  maxLatencyMs: number;
  run: RunRef;
}

/** A tool call with the digest of its canonical arguments (computed in the activity: workflow code cannot hash). */
export interface DigestedCall extends ToolCall {
  digest: string;
}

export interface ThinkResult {
  nodeId: string;
  clientId?: string;
  /** The model's text and the calls it asked for; absent when no model could answer. */
  reply?: { text: string; toolCalls: DigestedCall[] };
  /** Why no model answered (no provider, over budget, malformed replies): a person takes over. */
  human?: string;
  meta: Partial<CallMeta> & { notes?: string[] };
}

export interface ToolArgs {
  nodeId: string;
  step: number;
  index: number;
  tool: Pick<ResolvedTool, 'name' | 'ref' | 'target' | 'config'>;
  arguments: Record<string, unknown>;
  run: RunRef & { idempotencyKey: string };
}

export interface ToolResult {
  nodeId: string;
  clientId?: string;
  ok: boolean;
  /** What the model is told: the output as JSON, or the error. */
  content: string;
  /** Digest of the arguments that ran. */
  digest: string;
  meta: Partial<CallMeta> & { notes?: string[] };
}
