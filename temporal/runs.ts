import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionPlan } from '../schemas/execution-plan.ts';
import type { interpreter } from './workflows/interpreter.ts';
import type { DecisionArgs, RunInput, RunStatus, SettledTask } from './workflows/run-types.ts';

export type RunHandle = WorkflowHandle<typeof interpreter>;

export const searchKeys = {
  workflow: defineSearchAttributeKey('TrellisWorkflowId', SearchAttributeType.KEYWORD),
  planHash: defineSearchAttributeKey('TrellisPlanHash', SearchAttributeType.KEYWORD),
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

/** Sends a reviewer's decision; resolves once it is recorded, rejects with the workflow's reason when refused. */
export async function decide(client: Client, workflowId: string, decision: DecisionArgs): Promise<SettledTask> {
  try {
    return await client.workflow
      .getHandle(workflowId)
      .executeUpdate<SettledTask, [DecisionArgs]>('decide', { args: [decision] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      const cause = (error as { cause?: { message?: string } }).cause;
      throw new DecisionRefusedError(cause?.message ?? error.message, { cause: error });
    }
    throw error;
  }
}
