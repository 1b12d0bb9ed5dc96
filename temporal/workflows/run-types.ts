// Types shared by the interpreter, its activities, the client and the ledger. Types only:
// this file is imported by workflow code.
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { HumanRequest } from '../../nodes/sdk/context.ts';
import type { CallMeta } from '../../models/types.ts';
import type { NewReviewTask } from '../../store/review-tasks.ts';

export type NodeStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

/** What a node produced in an earlier run, reused by re-runs and canaries instead of executing it. */
export interface RecordedNode {
  output: Record<string, unknown>;
}

/** When a run was asked to start, when it did, and why it waited (foreground/background, budgets). */
export interface StartDecision {
  mode: 'foreground' | 'background';
  /** Absent for runs a Temporal Schedule started (Temporal records the scheduled time). */
  requestedAt?: string;
  /** Set when the start was delayed (a background window, or a budget's next month). */
  waitedUntil?: string;
  reason: string;
}

/** How an event found this run (control/router): which rule, which intent, who chose. */
export interface RoutingDecision {
  ruleId?: string;
  intent?: string;
  confidence?: number;
  reason: string;
  eventId?: string;
  ruleSetVersion?: number;
  /** The Trellis workflow and pinned version the decision chose. */
  workflowId?: string;
  version?: number;
  /** Set when the operator chose in a triage task. */
  triageTaskId?: string;
  chosenBy?: string;
  start?: StartDecision;
}

export interface RunInput {
  plan: ExecutionPlan;
  /** The Trellis workflow (the drawn one) and its published version. */
  workflow: { id: string; version: number };
  trigger: { event?: Record<string, unknown>; data?: Record<string, unknown> };
  /** Re-run / canary: nodes listed here return these outputs instead of running. */
  recorded?: Record<string, RecordedNode>;
  /** Canary: side-effecting nodes must come from `recorded`; they never run. */
  mode?: 'live' | 'rerun' | 'canary';
  /**
   * Canary: the human decisions of the run it replays, by node. A node that asks a person in a
   * canary gets this value instead (no review task is created); without one it is skipped.
   */
  decisions?: Record<string, RecordedNode>;
  /** The run this one re-runs, for the inspector's diff. */
  rerunOf?: { workflowId: string; fromNode: string };
  routing?: RoutingDecision;
  /** Minutes a fallback human task waits before it expires (default two days). */
  fallbackTimeoutMinutes?: number;
}

export interface NodeState {
  id: string;
  type: string;
  status: NodeStatus;
  attempt?: number;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  reason?: string;
  taskId?: string;
  tier?: string;
}

export interface RunStatus {
  planHash: string;
  status: 'running' | 'waiting' | 'completed' | 'failed';
  nodes: NodeState[];
  waitingTasks: string[];
}

export interface RunResult {
  status: 'completed' | 'failed';
  planHash: string;
  outputs: Record<string, Record<string, unknown>>;
  nodes: NodeState[];
  failedNode?: string;
  error?: string;
}

/** Arguments of every node activity (`node:<type>@<version>`); the ledger reads them back from history. */
export interface NodeActivityArgs {
  node: { id: string; type: string; version: number; config: Record<string, unknown> };
  input: Record<string, unknown>;
  run: { workflowId: string; runId: string; trellisWorkflowId: string; idempotencyKey: string; clientId?: string };
}

export interface NodeActivityResult {
  nodeId: string;
  /** The run's client, echoed so the payload codec seals the result with the client's key. */
  clientId?: string;
  output?: Record<string, unknown>;
  human?: HumanRequest;
  /** With `human`: the schema a human-supplied output must satisfy. */
  outputSchema?: object;
  meta?: Partial<CallMeta> & { notes?: string[] };
}

/** A review task as the interpreter asks for it: the store's new task, always with its due time. */
export type ReviewTaskArgs = NewReviewTask & { dueAt: string };

export interface DecisionArgs {
  /** Chosen by the sender; the `decision` query answers with the outcome under this id. */
  requestId: string;
  taskId: string;
  decision: 'approved' | 'edited' | 'rejected';
  reviewer: string;
  value?: unknown;
  note?: string;
  /** For a task approving an agent's tool call: the call's argument digest, which must match the waiting call. */
  digest?: string;
}

export interface SettleArgs {
  taskId: string;
  state: 'approved' | 'edited' | 'rejected' | 'expired';
  reviewer: string;
  value?: unknown;
  note?: string;
}

export interface SettledTask {
  taskId: string;
  state: 'approved' | 'edited' | 'rejected' | 'expired';
  reviewer: string;
  value?: unknown;
  note?: string;
  decidedAt: string;
}

/** What became of a decision: recorded, or refused with the reason. */
export type DecisionOutcome = { settled: SettledTask; refused?: undefined } | { refused: string; settled?: undefined };
