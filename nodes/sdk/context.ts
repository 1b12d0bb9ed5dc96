import type { MailSender } from '../../mail/send/sender.ts';
import type { Embedder, MemoryStore } from '../../memory/types.ts';
import type { CallMeta, ModelRouter } from '../../models/types.ts';
import type { Keyring } from '../../security/keyring.ts';
import type { Db } from '../../store/db.ts';

/** What a node's activity may use. Injected by the worker; tests inject real services too. */
export interface NodeServices {
  db: Db;
  memory: MemoryStore;
  embedder: Embedder;
  models: ModelRouter;
  /** The wall clock (activities may read it; workflow code never does). */
  now(): Date;
  /** Sends mail exactly once per key (mail/send); absent where no worker built it (the send-email node then fails clearly). */
  mail?: MailSender;
  /** The installation's keyring, to open stored credentials at run time (the mcp-tool node); absent: such nodes fail clearly. */
  keyring?: () => Keyring;
}

export interface NodeContext {
  workflowId: string;
  runId: string;
  nodeId: string;
  attempt: number;
  /** Stable across retries and worker restarts: key every side effect on it. */
  idempotencyKey: string;
  services: NodeServices;
  /** Aborted when the activity is cancelled or times out. */
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** A request for a human to supply or confirm this node's output; the interpreter waits for it. */
export interface HumanRequest {
  kind: 'draft' | 'extraction' | 'fallback' | 'review';
  title: string;
  instructions: string;
  /** Why a human: "no LLM provider configured", "confidence 0.42 < 0.7". */
  reason: string;
  context: Record<string, unknown>;
  /** The machine's best attempt, if any, offered for approval or editing. */
  proposed?: unknown;
}

/** A node either produces its output, or asks a human for it. */
export type NodeOutcome<Output> =
  | { output: Output; meta?: Partial<CallMeta> & { notes?: string[] } }
  | { human: HumanRequest; meta?: Partial<CallMeta> & { notes?: string[] } };

/**
 * An error that retrying will not fix (bad input, unknown client): the activity fails for good
 * instead of being retried. Validation errors from schemas/ajv.ts are treated the same way.
 */
export class NodeInputError extends Error {
  override readonly name = 'NodeInputError';
}
