import { isGrpcServiceError, ScheduleNotFoundError, type Client, type ScheduleOptionsAction } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { TriggerConfig } from '../../nodes/trigger/definition.ts';
import { searchKeys } from '../../temporal/runs.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';

// Cron-like workflows are Temporal Schedules (one per workflow, `schedule:<workflowId>`) that
// start the interpreter with the published plan. Temporal keeps the calendar, the catch-up
// policy and the history of what started; Trellis only creates, updates and deletes them.

export const scheduleId = (workflowId: string) => `schedule:${workflowId}`;

/** gRPC's INVALID_ARGUMENT status code. */
const INVALID_ARGUMENT = 3;

/** Temporal refused the trigger's cron expression. */
export class ScheduleSpecError extends Error {
  override readonly name = 'ScheduleSpecError';
}

/** The SDK turns Temporal's "Invalid schedule spec" into a TypeError, and other refusals into a ServiceError. */
async function refusingBadSpecs<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (error instanceof TypeError || (isGrpcServiceError(cause) && Number(cause.code) === INVALID_ARGUMENT)) {
      throw new ScheduleSpecError(isGrpcServiceError(cause) ? cause.details : (error as Error).message);
    }
    throw error;
  }
}

export function triggerConfigOf(plan: ExecutionPlan): TriggerConfig | undefined {
  return plan.nodes.find((node) => node.id === plan.trigger)?.config as TriggerConfig | undefined;
}

function action(plan: ExecutionPlan, workflow: RunInput['workflow'], data: Record<string, unknown>, taskQueue: string) {
  const input: RunInput = { plan, workflow, trigger: { data } };
  return {
    type: 'startWorkflow',
    workflowType: 'interpreter',
    // Temporal appends the scheduled time, so each firing is its own run id.
    workflowId: `run:${workflow.id}:schedule`,
    taskQueue,
    args: [input],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: searchKeys.workflow, value: workflow.id },
      { key: searchKeys.planHash, value: plan.hash },
    ]),
  } satisfies ScheduleOptionsAction;
}

async function deleteIfPresent(client: Client, id: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(id).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

/**
 * Makes the workflow's schedule match its published version: created or updated for a
 * schedule trigger, deleted otherwise. Returns what it did.
 */
export async function syncSchedule(
  client: Client,
  options: { plan: ExecutionPlan; workflow: RunInput['workflow']; taskQueue: string },
): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const id = scheduleId(options.workflow.id);
  const trigger = triggerConfigOf(options.plan);
  if (trigger?.kind !== 'schedule' || !trigger.schedule)
    return (await deleteIfPresent(client, id)) ? 'deleted' : 'none';
  const spec = { cronExpressions: [trigger.schedule] };
  const startAction = action(options.plan, options.workflow, trigger.data ?? {}, options.taskQueue);
  try {
    await refusingBadSpecs(() =>
      client.schedule.getHandle(id).update((previous) => ({ ...previous, spec, action: startAction })),
    );
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await refusingBadSpecs(() =>
    client.schedule.create({ scheduleId: id, spec, action: startAction, memo: { workflowId: options.workflow.id } }),
  );
  return 'created';
}

export async function deleteSchedule(client: Client, workflowId: string): Promise<boolean> {
  return deleteIfPresent(client, scheduleId(workflowId));
}
