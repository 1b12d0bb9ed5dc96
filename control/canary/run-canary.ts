import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { assertValid } from '../../schemas/ajv.ts';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import type { RecordedNode, RunResult } from '../../temporal/workflows/run-types.ts';
import type { ControlDeps } from '../deps.ts';
import {
  canaryRequestSchema,
  type CanaryRequest,
  type CanarySlice,
  type WorkflowCandidate,
} from '../schemas/canary.ts';
import { startControlledRun } from '../start-run.ts';
import { candidatePlan } from './candidate.ts';
import { aggregate, compareRun, type CanaryOutcome, type NodeObservation } from './compare.ts';
import {
  completeReport,
  createReport,
  failReport,
  requireReport,
  type CanaryReport,
  type CanaryRun,
} from './reports.ts';
import { runModelCanary } from './model-canary.ts';
import { runRoutingCanary } from './routing-canary.ts';
import { listPastRuns, type PastRun } from './slice.ts';
import { summarize } from './summary.ts';

const CONCURRENCY = 4;
const RUN_TIMEOUT_MS = 10 * 60_000;

/**
 * What a canary replays instead of running: every side-effecting node and every human step of
 * the candidate gets the past run's output; a node that asked a person keeps their decision in
 * case it asks again. Nothing outside the run happens.
 */
export function replayInputs(
  plan: ExecutionPlan,
  past: PastRun,
): { recorded: Record<string, RecordedNode>; decisions: Record<string, RecordedNode> } {
  const recorded: Record<string, RecordedNode> = {};
  const decisions: Record<string, RecordedNode> = {};
  const entries = new Map(past.ledger.entries.map((entry) => [entry.nodeId, entry]));
  for (const node of plan.nodes) {
    const entry = entries.get(node.id);
    if (node.id === plan.trigger || !entry || entry.output === undefined) continue;
    const output = { output: entry.output as Record<string, unknown> };
    if ((node.sideEffects || node.kind === 'human') && entry.status === 'completed') recorded[node.id] = output;
    else if (entry.tier === 'human') decisions[node.id] = output;
  }
  return { recorded, decisions };
}

async function outcomeOf(client: Client, workflowId: string): Promise<CanaryOutcome> {
  const handle = client.workflow.getHandle(workflowId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the canary run did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes`)),
      RUN_TIMEOUT_MS,
    );
  });
  try {
    const result = (await Promise.race([handle.result(), timeout])) as RunResult;
    return {
      status: 'completed',
      outputs: result.outputs,
      nodes: result.nodes,
      ledger: await fetchLedger(client, workflowId),
    };
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as RunResult | undefined) : undefined;
    if (!details) await handle.terminate('canary timed out').catch(() => {});
    return {
      status: 'failed',
      outputs: details?.outputs ?? {},
      nodes: details?.nodes ?? [],
      error: details?.error ?? (error as Error).message,
      ...(details ? { ledger: await fetchLedger(client, workflowId) } : {}),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size)
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}

/** Only what a reader of the report needs per run: the nodes that changed, were judged, or would ask. */
const notable = (observations: NodeObservation[]) =>
  observations.filter((o) => o.changed || o.verdict !== undefined || o.asksHumanNow || o.askedHumanBefore);

async function runWorkflowCanary(
  deps: ControlDeps,
  id: string,
  candidate: WorkflowCandidate,
  slice: CanarySlice,
): Promise<void> {
  const built = await candidatePlan(deps, candidate);
  const past = await listPastRuns(deps.temporal, built.workflowId, slice);
  const sideEffects = new Set(built.plan.nodes.filter((n) => n.sideEffects).map((n) => n.id));
  let sideEffectsReused = 0;
  const compared = await inBatches(past, CONCURRENCY, async (run) => {
    const { recorded, decisions } = replayInputs(built.plan, run);
    sideEffectsReused += Object.keys(recorded).filter((nodeId) => sideEffects.has(nodeId)).length;
    const { workflowId } = await startControlledRun(deps.temporal, {
      taskQueue: deps.taskQueue,
      workflowId: `canary:${id}:${run.workflowId}`,
      visibleAs: `canary:${built.workflowId}`,
      plan: built.plan,
      workflow: { id: built.workflowId, version: built.baseVersion },
      trigger: run.input.trigger,
      idempotencyKey: `canary:${id}:${run.workflowId}`,
      input: { mode: 'canary', recorded, decisions },
    });
    const outcome = await outcomeOf(deps.temporal, workflowId);
    const observations = compareRun(
      { plan: run.input.plan, ledger: run.ledger },
      built.plan,
      outcome,
      new Set(Object.keys(recorded)),
    );
    const detail: CanaryRun = {
      pastRunId: run.workflowId,
      canaryRunId: workflowId,
      status: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
      nodes: notable(observations),
    };
    return { observations, detail };
  });
  const nodes = aggregate(compared.map((c) => c.observations));
  const runs = compared.map((c) => c.detail);
  const summary = summarize(built.label, nodes, runs, {
    planHash: built.plan.hash,
    baseVersion: built.baseVersion,
    sideEffectsReused,
  });
  await completeReport(deps.db, id, { summary, nodes, runs });
}

/**
 * Tries a candidate on a slice of the ledger and keeps the report: past runs of the workflow are
 * replayed through the candidate in canary mode (side effects and human steps reused from the
 * record), past routed events through a draft rule set, or past extract steps through a retrained
 * extraction model. Nothing goes live here: see promote().
 */
export async function runCanary(deps: ControlDeps, request: CanaryRequest): Promise<CanaryReport> {
  assertValid<CanaryRequest>(canaryRequestSchema, request, 'canary request');
  const id = `canary-${randomUUID()}`;
  const { candidate, slice } = request;
  await createReport(deps.db, {
    id,
    kind: candidate.kind === 'rule-set' ? 'routing' : candidate.kind === 'extraction-model' ? 'extraction' : 'workflow',
    ...(candidate.kind !== 'rule-set' && candidate.workflowId ? { workflowId: candidate.workflowId } : {}),
    candidate,
    slice,
    createdBy: request.createdBy ?? 'operator',
  });
  try {
    if (candidate.kind === 'rule-set') await runRoutingCanary(deps, id, candidate.ruleSetVersion, slice);
    else if (candidate.kind === 'extraction-model') await runModelCanary(deps, id, candidate, slice);
    else await runWorkflowCanary(deps, id, candidate, slice);
  } catch (error) {
    await failReport(deps.db, id, (error as Error).message);
  }
  return requireReport(deps.db, id);
}
