// What the mailbox template tests share: API calls as a signed-in operator, the runs of a
// workflow, and a person answering a run's review tasks over the API, each wait bounded.
import type { FastifyInstance } from 'fastify';
import type { ReviewTask } from '../../../schemas/review-task.ts';
import { createToken } from '../../../store/tokens.ts';
import type { RunResult } from '../../../temporal/workflows/run-types.ts';
import type { Harness } from '../interpreter-harness.ts';
import { waitFor } from './intake-stack.ts';

export type ApiCall = <T = Record<string, unknown>>(method: 'GET' | 'POST', url: string, body?: unknown) => Promise<T>;

/** Calls the API with an admin token; a status other than 2xx fails with the answer. */
export async function operatorApi(app: FastifyInstance, h: Harness): Promise<ApiCall> {
  const token = (await createToken(h.db, 'mailbox templates test', ['admin'])).plaintext;
  return async <T>(method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
}

/** The Temporal ids of every run of a Trellis workflow. */
export async function runsOf(h: Harness, workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of h.client.workflow.list({ query: `TrellisWorkflowId = '${workflowId}'` }))
    ids.push(run.workflowId);
  return ids;
}

/** Waits until the workflow has exactly `count` runs (one more would fail the next check). */
export async function waitForRuns(h: Harness, workflowId: string, count: number): Promise<string[]> {
  return waitFor(
    `${count} run(s) of workflow ${workflowId}`,
    () => runsOf(h, workflowId),
    (ids) => ids.length >= count,
    60_000,
  );
}

export type Answer = { decision: 'approved' | 'edited' | 'rejected'; value?: unknown; note?: string };

/**
 * Answers the run's review tasks over the API, as they come, until `last`'s task is answered:
 * each by the function for its node (a node without one fails the test, naming the task).
 */
export async function answerOverApi(
  call: ApiCall,
  runId: string,
  answers: Record<string, (task: ReviewTask) => Answer>,
  last: string,
  timeoutMs = 90_000,
): Promise<ReviewTask[]> {
  const answered: ReviewTask[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!answered.some((task) => task.nodeId === last)) {
    const { tasks } = await call<{ tasks: ReviewTask[] }>(
      'GET',
      `/api/reviews?state=pending&workflowId=${encodeURIComponent(runId)}`,
    );
    for (const task of tasks) {
      const answer = answers[task.nodeId];
      if (!answer) throw new Error(`no answer for the ${task.kind} task of node "${task.nodeId}": ${task.title}`);
      await call('POST', `/api/reviews/${encodeURIComponent(task.id)}/decision`, { reviewer: 'lena', ...answer(task) });
      answered.push(task);
    }
    if (Date.now() > deadline)
      throw new Error(
        `run ${runId}: no task of "${last}" within ${timeoutMs} ms; answered ${answered.map((t) => t.nodeId).join(', ') || 'none'}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return answered;
}

/** Confirms an extraction as proposed, in the extract node's output shape. */
export function confirmExtraction(task: ReviewTask): Answer {
  const proposed = task.proposed as Record<string, unknown> | undefined;
  if (proposed && 'extraction' in proposed) return { decision: 'approved' };
  return { decision: 'edited', value: { extraction: proposed } };
}

/** The run's result once it ends (bounded). */
export async function resultOf(h: Harness, runId: string, timeoutMs = 60_000): Promise<RunResult> {
  const result = h.client.workflow.getHandle(runId).result() as Promise<RunResult>;
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`run ${runId} did not end within ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  return Promise.race([result, timeout]);
}
