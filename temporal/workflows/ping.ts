import { proxyActivities } from '@temporalio/workflow';
import type { PingActivities } from '../activities/ping.ts';

const { ping: pingActivity } = proxyActivities<PingActivities>({ startToCloseTimeout: '10 seconds' });

/** The smallest real workflow: one activity round trip. Health checks and tests use it. */
export async function ping(message: string): Promise<string> {
  return await pingActivity(message);
}
