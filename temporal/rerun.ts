import type { Client } from '@temporalio/client';
import diff from 'microdiff';
import type { ExecutionPlan } from '../schemas/execution-plan.ts';
import { fetchDecodedHistory } from './codec/history.ts';
import { buildLedger, runInputOf, type Ledger } from './ledger.ts';
import { startRun, type RunHandle } from './runs.ts';
import type { RecordedNode } from './workflows/run-types.ts';

/** The node and everything that depends on it, directly or not: what a re-run executes again. */
export function downstreamNodes(plan: ExecutionPlan, from: string): Set<string> {
  const result = new Set([from]);
  for (const id of plan.order) {
    const node = plan.nodes.find((n) => n.id === id);
    if (node?.dependsOn.some((dep) => result.has(dep))) result.add(id);
  }
  return result;
}

export async function fetchLedger(client: Client, workflowId: string): Promise<Ledger> {
  return buildLedger(workflowId, await fetchDecodedHistory(client, workflowId));
}

/**
 * Starts a new run of the same plan version in which every node outside `from`'s downstream
 * returns its recorded output, and `from` and what follows it run again.
 */
export async function rerunFrom(
  client: Client,
  options: { workflowId: string; fromNode: string; taskQueue: string; idempotencyKey: string },
): Promise<{ handle: RunHandle; started: boolean; reused: string[] }> {
  const history = await fetchDecodedHistory(client, options.workflowId);
  const ledger = buildLedger(options.workflowId, history);
  const input = runInputOf(history);
  if (!input.plan.nodes.some((node) => node.id === options.fromNode)) {
    throw new Error(`node "${options.fromNode}" is not in the plan of ${options.workflowId}`);
  }
  const again = downstreamNodes(input.plan, options.fromNode);
  const recorded: Record<string, RecordedNode> = {};
  for (const entry of ledger.entries) {
    if (again.has(entry.nodeId) || entry.nodeId === input.plan.trigger) continue;
    if (entry.status === 'completed' && entry.output !== undefined)
      recorded[entry.nodeId] = { output: entry.output as Record<string, unknown> };
  }
  const { handle, started } = await startRun(client, {
    taskQueue: options.taskQueue,
    plan: input.plan,
    workflow: input.workflow,
    trigger: input.trigger,
    idempotencyKey: options.idempotencyKey,
    extra: { recorded, mode: 'rerun', rerunOf: { workflowId: options.workflowId, fromNode: options.fromNode } },
  });
  return { handle, started, reused: Object.keys(recorded) };
}

export interface NodeDiff {
  nodeId: string;
  change: 'same' | 'changed' | 'only-before' | 'only-after';
  before?: unknown;
  after?: unknown;
  /** Each difference as a path into the output and its old/new value. */
  differences: { path: string; type: 'CREATE' | 'REMOVE' | 'CHANGE'; before?: unknown; after?: unknown }[];
}

/** Per-node differences of outputs between two runs of the same plan. */
export function diffOutputs(before: Ledger, after: Ledger): NodeDiff[] {
  const ids = [...new Set([...before.entries.map((e) => e.nodeId), ...after.entries.map((e) => e.nodeId)])];
  return ids.map((nodeId) => {
    const a = before.entries.find((e) => e.nodeId === nodeId)?.output;
    const b = after.entries.find((e) => e.nodeId === nodeId)?.output;
    if (a === undefined && b === undefined) return { nodeId, change: 'same', differences: [] };
    if (a === undefined) return { nodeId, change: 'only-after', after: b, differences: [] };
    if (b === undefined) return { nodeId, change: 'only-before', before: a, differences: [] };
    const differences = diff({ v: a }, { v: b }).map((d) => ({
      path: `/${d.path.slice(1).join('/')}`,
      type: d.type,
      ...('oldValue' in d ? { before: d.oldValue as unknown } : {}),
      ...('value' in d ? { after: d.value as unknown } : {}),
    }));
    return { nodeId, change: differences.length === 0 ? 'same' : 'changed', before: a, after: b, differences };
  });
}
