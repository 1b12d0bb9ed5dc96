import type { Client } from '@temporalio/client';
import { runStatus } from '../../temporal/runs.ts';

/**
 * Waits (briefly) until the run lists the task as waiting. The task row is written by an
 * activity a moment before the interpreter starts waiting on it; a decision signalled in that
 * moment would be refused as "not waiting", so the API lets the run catch up first.
 */
export async function untilWaiting(client: Client, runId: string, taskId: string, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const status = await runStatus(client, runId).catch(() => undefined);
    if (status?.waitingTasks.includes(taskId)) return true;
    if (Date.now() + delay > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
