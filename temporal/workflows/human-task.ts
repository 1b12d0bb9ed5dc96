// Waiting for a person (samples-typescript's expense sample): create the task, wait for a
// `decide` update or the timeout, escalate once if the policy says so, then settle.
import { ApplicationFailure, condition, log, patched } from '@temporalio/workflow';
import type { HumanRequest } from '../../nodes/sdk/context.ts';
import type { HumanReviewConfig } from '../../nodes/human-review/definition.ts';
import type { PlanNode } from '../../schemas/execution-plan.ts';
import type { ReviewActivities } from '../activities/review-activities.ts';
import type { DecisionArgs, DecisionOutcome, NodeState, ReviewTaskArgs, SettledTask } from './run-types.ts';

/** A decision sent by the `decide` signal, waiting for the main flow to record it. */
export interface DecisionRequest {
  args: DecisionArgs;
  outcome(outcome: DecisionOutcome): void;
}

/** Shared between the signal handler, which only queues decisions, and the main flow, which records them. */
export interface HumanWait {
  /** Tasks this run is waiting on → their queued decisions. */
  waiting: Map<string, DecisionRequest[]>;
  decided: Map<string, SettledTask>;
  /** Tasks whose row is in the review queue and still open: what the status query lists. */
  listed: Set<string>;
  /** Tasks approving one exact tool call (agent nodes): a decision naming another digest is refused. */
  bindings: Map<string, CallBinding>;
}

/** What an agent's approval task binds to: the call's argument digest under one policy version. */
export interface CallBinding {
  tool: string;
  digest: string;
  policyVersion: string;
}

interface Fallback {
  request: HumanRequest;
  outputSchema: object | undefined;
  timeoutMinutes: number;
  /** A node that asks several times (an agent) names each task; default `<workflowId>:<nodeId>`. */
  taskId?: string;
  binding?: CallBinding;
}

type Reviews = Pick<ReviewActivities, 'createReviewTask' | 'escalateReviewTask' | 'settleReviewTask'>;

const MINUTE = 60_000;
const QUEUE_BEFORE_TASK = 'queue-decisions-before-task-row';

function taskArgs(
  taskId: string,
  node: PlanNode,
  input: Record<string, unknown>,
  run: { workflowId: string; runId: string; clientId?: string },
  dueAt: string,
  fallback?: Fallback,
): ReviewTaskArgs {
  const base = {
    id: taskId,
    workflowId: run.workflowId,
    runId: run.runId,
    nodeId: node.id,
    dueAt,
    // Not stored with the task: it only tells the payload codec whose key seals these arguments.
    ...(run.clientId ? { clientId: run.clientId } : {}),
  };
  if (fallback) {
    const { request } = fallback;
    return {
      ...base,
      kind: request.kind === 'review' ? 'fallback' : request.kind,
      title: request.title,
      instructions: request.instructions,
      reason: request.reason,
      context: { ...request.context, input },
      ...(request.proposed !== undefined ? { proposed: request.proposed } : {}),
      ...(fallback.outputSchema ? { valueSchema: fallback.outputSchema as Record<string, unknown> } : {}),
    };
  }
  const config = node.config as HumanReviewConfig;
  return {
    ...base,
    kind: 'review',
    title: config.title ?? `Review: ${node.label ?? node.id}`,
    instructions: config.instructions,
    assignee: config.assignee ?? 'operator',
    context: (input.context as Record<string, unknown> | undefined) ?? {},
    proposed: input.value,
    ...(config.valueSchema ? { valueSchema: config.valueSchema } : {}),
  };
}

/** The innermost message of an error: ActivityFailure wraps the activity's own error. */
export function errorText(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause;
  return current?.message ?? String(error);
}

/** Records queued decisions until one is accepted; a refused one is answered with the reason. */
async function recordQueued(human: HumanWait, reviews: Reviews, taskId: string): Promise<void> {
  const queue = human.waiting.get(taskId) ?? [];
  while (queue.length > 0 && !human.decided.has(taskId)) {
    const request = queue.shift() as DecisionRequest;
    const { args } = request;
    try {
      const settled = await reviews.settleReviewTask({
        taskId,
        state: args.decision,
        reviewer: args.reviewer,
        ...(args.value !== undefined ? { value: args.value } : {}),
        ...(args.note ? { note: args.note } : {}),
      });
      human.decided.set(taskId, settled);
      request.outcome({ settled });
    } catch (error) {
      request.outcome({ refused: errorText(error) });
    }
  }
  for (const late of queue.splice(0)) late.outcome({ refused: `task ${taskId} is already decided` });
}

/** Waits up to `ms` for an accepted decision, recording queued ones as they come. */
async function awaitDecision(human: HumanWait, reviews: Reviews, taskId: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!human.decided.has(taskId)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const queued = await condition(() => (human.waiting.get(taskId)?.length ?? 0) > 0, left);
    if (!queued) return false;
    await recordQueued(human, reviews, taskId);
  }
  return true;
}

/** Settles on the policy's behalf; decisions that arrive meanwhile are recorded first. */
async function settleOnTimeout(
  human: HumanWait,
  reviews: Reviews,
  taskId: string,
  preferred: SettledTask['state'],
  note: string,
) {
  await recordQueued(human, reviews, taskId);
  const refusals: string[] = [];
  for (const state of preferred === 'expired' ? ['expired' as const] : [preferred, 'expired' as const]) {
    if (human.decided.has(taskId)) return;
    try {
      human.decided.set(taskId, await reviews.settleReviewTask({ taskId, state, reviewer: 'system:timeout', note }));
    } catch (error) {
      // Refused, e.g. nothing to approve: try the next outcome, and keep why.
      refusals.push(`${state}: ${errorText(error)}`);
      log.warn('review task not settled on timeout', { taskId, state, error: errorText(error) });
    }
  }
  if (human.decided.has(taskId)) return;
  // Nothing could settle the task: fail the node with every reason, never with an undefined outcome.
  throw ApplicationFailure.create({
    type: 'ReviewNotSettled',
    message: `review task ${taskId} could not be settled after its timeout (${refusals.join('; ')})`,
    nonRetryable: true,
  });
}

/** Returns the human-review output ports: decision, value, reviewer, decidedAt, note. */
export async function waitForHuman(
  human: HumanWait,
  reviews: Reviews,
  state: NodeState,
  node: PlanNode,
  input: Record<string, unknown>,
  run: { workflowId: string; runId: string; clientId?: string },
  fallback?: Fallback,
): Promise<Record<string, unknown>> {
  const taskId = fallback?.taskId ?? `${run.workflowId}:${node.id}`;
  const config = fallback ? undefined : (node.config as HumanReviewConfig);
  const timeoutMs = (fallback?.timeoutMinutes ?? config?.timeoutMinutes ?? 2880) * MINUTE;
  const dueAt = new Date(Date.now() + timeoutMs).toISOString();
  // Open the queue before the task row exists: a decision sent the moment the row appears is
  // queued, not refused. Histories from before this change keep the old order.
  if (fallback?.binding) human.bindings.set(taskId, fallback.binding);
  if (patched(QUEUE_BEFORE_TASK)) human.waiting.set(taskId, []);
  await reviews.createReviewTask(taskArgs(taskId, node, input, run, dueAt, fallback));
  if (!human.waiting.has(taskId)) human.waiting.set(taskId, []);
  human.listed.add(taskId);
  Object.assign(state, { status: 'waiting', taskId });

  try {
    let decided = await awaitDecision(human, reviews, taskId, timeoutMs);
    const onTimeout = config?.onTimeout ?? 'expire';
    if (!decided && onTimeout === 'escalate') {
      const escalationMs = (config?.escalationMinutes ?? 1440) * MINUTE;
      const to = config?.escalateTo ?? 'owner';
      await reviews.escalateReviewTask({ taskId, to, dueAt: new Date(Date.now() + escalationMs).toISOString() });
      state.reason = `escalated to ${to}`;
      decided = await awaitDecision(human, reviews, taskId, escalationMs);
    }
    if (!decided) {
      const preferred = onTimeout === 'approve' ? 'approved' : onTimeout === 'reject' ? 'rejected' : 'expired';
      await settleOnTimeout(human, reviews, taskId, preferred, `no decision in time (${onTimeout})`);
    }
  } finally {
    // Whether settled or failed, the task is no longer waited on: answer late decisions, unlist it.
    for (const late of human.waiting.get(taskId) ?? []) late.outcome({ refused: `task ${taskId} is already decided` });
    human.waiting.delete(taskId);
    human.listed.delete(taskId);
    human.bindings.delete(taskId);
    Object.assign(state, { status: 'running' });
  }
  const settled = human.decided.get(taskId);
  if (!settled) throw ApplicationFailure.nonRetryable(`review task ${taskId} ended without a decision`);
  return {
    decision: settled.state,
    reviewer: settled.reviewer,
    decidedAt: settled.decidedAt,
    ...(settled.value !== undefined && settled.value !== null ? { value: settled.value } : {}),
    ...(settled.note ? { note: settled.note } : {}),
  };
}
