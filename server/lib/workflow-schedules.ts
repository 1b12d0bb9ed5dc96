import type { Client } from '@temporalio/client';
import { getRunPolicy, syncBackgroundSchedule, type RunPolicy } from '../../control/index.ts';
import type { Db } from '../../store/db.ts';
import { getVersion, type StoredVersion } from '../../store/workflows.ts';
import { syncSchedule } from './schedules.ts';

export type ScheduleSync = 'created' | 'updated' | 'deleted' | 'none';

/**
 * The Temporal Schedule of a background run policy (`background:<workflowId>`) made to match the
 * policy and the latest published version: created or updated for a background policy, deleted for
 * a foreground one. Without a published version there is nothing to start, hence no schedule.
 */
export async function syncBackground(
  db: Db,
  client: Client,
  options: { workflowId: string; taskQueue: string; version?: StoredVersion; policy?: RunPolicy },
): Promise<ScheduleSync> {
  const published = options.version ?? (await getVersion(db, options.workflowId));
  if (!published) return 'none';
  return syncBackgroundSchedule(client, {
    workflow: { id: options.workflowId, version: published.version },
    plan: published.plan,
    policy: options.policy ?? (await getRunPolicy(db, options.workflowId)),
    taskQueue: options.taskQueue,
  });
}

/** Everything a newly published version changes in Temporal: its cron trigger's schedule and its background window's. */
export async function syncPublished(
  db: Db,
  client: Client,
  options: { workflowId: string; version: number; taskQueue: string },
): Promise<{ schedule: ScheduleSync; background: ScheduleSync }> {
  const published = await getVersion(db, options.workflowId, options.version);
  if (!published) return { schedule: 'none', background: 'none' };
  const workflow = { id: options.workflowId, version: published.version };
  const schedule = await syncSchedule(client, { plan: published.plan, workflow, taskQueue: options.taskQueue });
  const background = await syncBackground(db, client, { ...options, version: published });
  return { schedule, background };
}
