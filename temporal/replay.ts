import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { workflowsPath as defaultWorkflowsPath } from './worker.ts';

export interface ReplayResult {
  workflowId: string;
  ok: boolean;
  error?: string;
}

/**
 * Replays recorded histories through the current workflow code: a change that would break
 * running workflows (a different activity, a different order) fails here, before deploying.
 */
export async function replayHistories(
  histories: { workflowId: string; history: unknown }[],
  workflowsPath = defaultWorkflowsPath,
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const iterable = histories.map(({ workflowId, history }) => ({
    workflowId,
    history: isProto(history) ? history : historyFromJSON(history),
  }));
  for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: 'trellis-replay' }, iterable)) {
    results.push({
      workflowId: result.workflowId,
      ok: !result.error,
      ...(result.error ? { error: String(result.error.message) } : {}),
    });
  }
  return results;
}

function isProto(history: unknown): history is temporal.api.history.v1.IHistory {
  const first = (history as { events?: { eventTime?: unknown }[] }).events?.[0]?.eventTime;
  return typeof first === 'object' && first !== null && 'seconds' in first && typeof first.seconds !== 'string';
}
