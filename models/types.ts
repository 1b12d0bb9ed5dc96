import type { ModelPolicy } from '../schemas/model-policy.ts';

export type CallTier = 'cached' | 'local' | 'provider' | 'human';

/** What every model call reports for the ledger, whichever tier answered. */
export interface CallMeta {
  tier: CallTier;
  model: string;
  /** Tokens consumed by this call across every tier tried, failed attempts included (a cache hit is 0). */
  tokens: number;
  /** Dollars spent by this call across every tier tried, failed attempts included. */
  costUsd: number;
  latencyMs: number;
  confidence: number;
  /** Why tiers were skipped or degraded: "provider timed out after 2000 ms", "over budget". */
  notes: string[];
}

/** A function the model may ask to call: its parameters are a JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: object;
}

/** A call the model asked for; `arguments` is already parsed from the wire's JSON string. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Messages as callers write them; the client turns them into the wire format (tool_calls, tool_call_id). */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A tier that runs on this machine with no provider (rules, small NLP models). */
export type LocalTier<T> = () => Promise<{ value: T; confidence: number; model: string } | undefined>;

/** What the router knows about a model's reply, for judging it (a truncated reply deserves less trust). */
export interface ReplyInfo {
  /** `stop`, `length` (cut off at the token limit), `content_filter`…; null when the server gave none. */
  finishReason: string | null;
  model: string;
  /** Which tier produced the text; `cached` when it is a stored reply read back. */
  tier: 'cached' | 'local' | 'provider';
  /** The tools the model asked to call (only when the request offered tools). */
  toolCalls?: ToolCall[];
}

export interface ModelRequest<T> {
  /** Node type asking, for cache keys and budgets. */
  nodeType: string;
  policy: ModelPolicy;
  /** Stable key of the request (template + inputs); the router adds the model. Enables the cached tier. */
  cacheKey?: string;
  local?: LocalTier<T>;
  /** Provider call: chat messages, and a JSON Schema when the answer must be JSON. */
  provider?: {
    messages: ChatMessage[];
    jsonSchema?: object;
    /** Functions the model may call; its requests come back in ReplyInfo.toolCalls. Not cached. */
    tools?: ToolSpec[];
    /** Most tokens the reply may have (default 1024); bounds the cost estimate checked against the budget. */
    maxOutputTokens?: number;
    temperature?: number;
    /** Turns the reply text into a value, or throws when it is malformed (the router then degrades). */
    parse: (text: string, reply: ReplyInfo) => { value: T; confidence: number };
  };
  /** The activity's cancellation: aborting it aborts the call (it is not turned into a human task). */
  signal?: AbortSignal;
}

export type ModelResult<T> =
  | { status: 'ok'; value: T; meta: CallMeta }
  /** No tier could answer within the policy: the caller hands the work to a human. */
  | { status: 'human'; reason: string; meta: CallMeta; best?: { value: T; confidence: number } };

/** Picks cached → local → provider within the policy's budgets, degrading to a human. */
export interface ModelRouter {
  readonly providerConfigured: boolean;
  call<T>(request: ModelRequest<T>): Promise<ModelResult<T>>;
}
