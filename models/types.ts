import type { ModelPolicy } from '../schemas/model-policy.ts';

export type CallTier = 'cached' | 'local' | 'provider' | 'human';

/** What every model call reports for the ledger, whichever tier answered. */
export interface CallMeta {
  tier: CallTier;
  model: string;
  tokens: number;
  costUsd: number;
  latencyMs: number;
  confidence: number;
  /** Why tiers were skipped or degraded: "provider timed out after 2000 ms", "over budget". */
  notes: string[];
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A tier that runs on this machine with no provider (rules, small NLP models). */
export type LocalTier<T> = () => Promise<{ value: T; confidence: number; model: string } | undefined>;

export interface ModelRequest<T> {
  /** Node type asking, for cache keys and budgets. */
  nodeType: string;
  policy: ModelPolicy;
  /** Stable key of the request (template + inputs + model); enables the cached tier. */
  cacheKey?: string;
  local?: LocalTier<T>;
  /** Provider call: chat messages, and a JSON Schema when the answer must be JSON. */
  provider?: {
    messages: ChatMessage[];
    jsonSchema?: object;
    parse: (text: string) => { value: T; confidence: number };
  };
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
