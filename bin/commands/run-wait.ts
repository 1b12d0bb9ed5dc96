import type { ApiClient } from './api-client.ts';
import { progress } from './output.ts';

interface RunDetail {
  run: { runId: string; status: string; workflowName: string; version: number; durationMs?: number; costUsd: number };
  status: { status: string; nodes: { id: string; status: string }[]; waitingTasks: string[] };
}

const done = new Set(['completed', 'failed', 'skipped']);

/**
 * Follows a run until it ends, with a bar of finished nodes. A run waiting for a person
 * returns as soon as it waits (the review is done in the editor or through the API).
 */
export async function followRun(api: ApiClient, runId: string, quiet: boolean): Promise<RunDetail> {
  const path = `/runs/${encodeURIComponent(runId)}`;
  let detail = await api.request<RunDetail>('GET', path);
  const bar = progress(Math.max(detail.status.nodes.length, 1), quiet);
  try {
    for (;;) {
      const finished = detail.status.nodes.filter((node) => done.has(node.status)).length;
      const running = detail.status.nodes.find((node) => node.status === 'running')?.id;
      bar.setTotal(Math.max(detail.status.nodes.length, 1));
      bar.update(finished, running ? `running ${running}` : detail.status.status);
      if (detail.run.status !== 'running' || detail.status.status === 'waiting') return detail;
      await new Promise((resolve) => setTimeout(resolve, 300));
      detail = await api.request<RunDetail>('GET', path);
    }
  } finally {
    bar.stop();
  }
}
