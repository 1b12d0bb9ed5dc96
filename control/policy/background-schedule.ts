import { ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import { searchKeys } from '../../temporal/runs.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';
import type { RunPolicy, RunWindow } from '../schemas/run-policy.ts';
import { describeWindow } from './window.ts';

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

export const backgroundScheduleId = (workflowId: string) => `background:${workflowId}`;

/** Fires when the window opens (UTC), on the window's days. */
export function windowSpec(window: RunWindow): ScheduleSpec {
  const [hour, minute] = window.start.split(':').map(Number);
  return {
    calendars: [
      {
        hour: hour ?? 0,
        minute: minute ?? 0,
        ...(window.days ? { dayOfWeek: [...window.days].sort().map((day) => DAYS[day]!) } : {}),
        comment: `background window ${describeWindow(window)}`,
      },
    ],
  };
}

/**
 * The Temporal Schedule that starts a background workflow's batch run each time its window
 * opens (one per workflow, `background:<id>`); deleted when the policy is foreground. The run's
 * routing says it was started by the schedule, and why.
 */
export async function syncBackgroundSchedule(
  client: Client,
  options: {
    workflow: RunInput['workflow'];
    plan: ExecutionPlan;
    policy: RunPolicy;
    taskQueue: string;
    data?: Record<string, unknown>;
  },
): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const id = backgroundScheduleId(options.workflow.id);
  const handle = client.schedule.getHandle(id);
  const { window } = options.policy;
  if (options.policy.mode !== 'background' || !window) {
    try {
      await handle.delete();
      return 'deleted';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'none';
      throw error;
    }
  }
  const input: RunInput = {
    plan: options.plan,
    workflow: options.workflow,
    trigger: { data: options.data ?? {} },
    routing: {
      reason: `background batch of ${options.workflow.id}`,
      workflowId: options.workflow.id,
      version: options.workflow.version,
      start: {
        mode: 'background',
        reason: `started by the Temporal Schedule ${id} when the window ${describeWindow(window)} opened`,
      },
    },
  };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'interpreter',
    workflowId: `run:${options.workflow.id}:background`,
    taskQueue: options.taskQueue,
    args: [input],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: searchKeys.workflow, value: options.workflow.id },
      { key: searchKeys.planHash, value: options.plan.hash },
    ]),
  };
  const spec = windowSpec(window);
  try {
    await handle.update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await client.schedule.create({ scheduleId: id, spec, action, memo: { workflowId: options.workflow.id } });
  return 'created';
}
