import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionPlan } from '../schemas/execution-plan.ts';
import { runWorkflowId, searchKeys } from '../temporal/runs.ts';
import type { interpreter } from '../temporal/workflows/interpreter.ts';
import type { RunInput } from '../temporal/workflows/run-types.ts';

export interface ControlledStart {
  taskQueue: string;
  plan: ExecutionPlan;
  workflow: RunInput['workflow'];
  trigger: RunInput['trigger'];
  idempotencyKey: string;
  input?: Pick<RunInput, 'recorded' | 'decisions' | 'mode' | 'routing' | 'fallbackTimeoutMinutes'>;
  /** The run exists at once but begins then (a background window, a budget's next month). */
  startAt?: Date;
  now?: Date;
  /** Canary runs are kept out of the workflow's run list (visibility) under `canary:<id>`. */
  visibleAs?: string;
  /** Defaults to runWorkflowId(workflow.id, idempotencyKey), like temporal/runs.ts startRun. */
  workflowId?: string;
}

/**
 * Starts the interpreter as temporal/runs.ts startRun does (same id scheme, same search
 * attributes, duplicates never start twice), plus what the control plane needs: a delayed start,
 * canary decisions, and a separate visibility key for canaries.
 */
export async function startControlledRun(
  client: Client,
  options: ControlledStart,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = options.workflowId ?? runWorkflowId(options.workflow.id, options.idempotencyKey);
  const input: RunInput = {
    plan: options.plan,
    workflow: options.workflow,
    trigger: options.trigger,
    ...options.input,
  };
  const delayMs = options.startAt ? options.startAt.getTime() - (options.now ?? new Date()).getTime() : 0;
  try {
    await client.workflow.start<typeof interpreter>('interpreter', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...(delayMs > 0 ? { startDelay: delayMs } : {}),
      typedSearchAttributes: new TypedSearchAttributes([
        { key: searchKeys.workflow, value: options.visibleAs ?? options.workflow.id },
        { key: searchKeys.planHash, value: options.plan.hash },
      ]),
      staticSummary: `${options.plan.name} v${options.workflow.version}${input.mode === 'canary' ? ' (canary)' : ''}`,
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}
