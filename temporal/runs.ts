import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionPlan } from '../schemas/execution-plan.ts';
import type { interpreter } from './workflows/interpreter.ts';
import type { DecisionArgs, DecisionOutcome, RunInput, RunStatus, SettledTask } from './workflows/run-types.ts';

export type RunHandle = WorkflowHandle<typeof interpreter>;

export const searchKeys = {
  workflow: defineSearchAttributeKey('TrellisWorkflowId', SearchAttributeType.KEYWORD),
  planHash: defineSearchAttributeKey('TrellisPlanHash', SearchAttributeType.KEYWORD),
  client: defineSearchAttributeKey('TrellisClientId', SearchAttributeType.KEYWORD),
};

export interface StartRunOptions {
  taskQueue: string;
  plan: ExecutionPlan;
  workflow: { id: string; version: number };
  trigger: RunInput['trigger'];
  /** The trigger's idempotency key: the same key never starts a second run. */
  idempotencyKey: string;
  extra?: Pick<RunInput, 'recorded' | 'mode' | 'rerunOf' | 'routing' | 'fallbackTimeoutMinutes'>;
}

/** The Temporal workflow id of a run: derived from the idempotency key, so duplicates collide. */
export function runWorkflowId(trellisWorkflowId: string, idempotencyKey: string): string {
  return `run:${trellisWorkflowId}:${idempotencyKey}`;
}

export async function startRun(
  client: Client,
  options: StartRunOptions,
): Promise<{ handle: RunHandle; started: boolean }> {
  const workflowId = runWorkflowId(options.workflow.id, options.idempotencyKey);
  // The client's id (opaque, no personal data) lets erasure find the client's running runs.
  const clientId = (options.trigger.event as { clientId?: unknown } | undefined)?.clientId;
  const input: RunInput = {
    plan: options.plan,
    workflow: options.workflow,
    trigger: options.trigger,
    ...options.extra,
  };
  try {
    const handle = await client.workflow.start<typeof interpreter>('interpreter', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [input],
      // A finished run with this key also counts: the key is never reused.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: searchKeys.workflow, value: options.workflow.id },
        { key: searchKeys.planHash, value: options.plan.hash },
        ...(typeof clientId === 'string' && clientId ? [{ key: searchKeys.client, value: clientId }] : []),
      ]),
      staticSummary: `${options.plan.name} v${options.workflow.version}`,
    });
    return { handle, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return { handle: client.workflow.getHandle<typeof interpreter>(workflowId), started: false };
    throw error;
  }
}

export function runStatus(client: Client, workflowId: string): Promise<RunStatus> {
  return client.workflow.getHandle(workflowId).query<RunStatus>('status');
}

export class DecisionRefusedError extends Error {
  override readonly name = 'DecisionRefusedError';
}

/**
 * Sends a reviewer's decision and waits until the run has recorded it; rejects with the run's
 * reason when it was refused (task not waiting, already decided, edit not valid).
 */
export async function decide(
  client: Client,
  workflowId: string,
  decision: Omit<DecisionArgs, 'requestId'>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<SettledTask> {
  const handle = client.workflow.getHandle(workflowId);
  const requestId = randomUUID();
  await handle.signal<[DecisionArgs]>('decide', { ...decision, requestId });
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
    const outcome = await handle.query<DecisionOutcome | undefined, [string]>('decision', requestId);
    if (outcome?.settled) return outcome.settled;
    if (outcome?.refused !== undefined) throw new DecisionRefusedError(outcome.refused);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new DecisionRefusedError(
    `the run did not record the decision within ${timeoutMs / 1000} s; it may still do so`,
  );
}
