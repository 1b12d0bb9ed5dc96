// Per node and policy, from the ledgers of past runs and the review tasks they created: how
// often automated output was wrong (false-positive rate), how long corrections took, what an
// action cost, how often the same input came back, and the streak of unchanged approvals.
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { Queryable } from '../../store/db.ts';
import { sameOutput, verdictFor } from '../canary/compare.ts';
import { listPastRuns, type PastRun } from '../canary/slice.ts';
import type { ControlDeps } from '../deps.ts';
import type { CanarySlice } from '../schemas/canary.ts';

export interface Decision {
  runId: string;
  taskId?: string;
  decision: 'approved' | 'edited' | 'rejected';
  /** Approved, or "edited" back to exactly what was proposed (a confirmation in another shape). */
  unchanged: boolean;
  /** The machine's confidence in what it proposed, when it said. */
  confidence?: number;
  decidedAt?: string;
}

export interface NodePolicyMetrics {
  workflowId: string;
  nodeId: string;
  nodeType: string;
  /** sha256 of the node's config: one policy. */
  policyKey: string;
  config: Record<string, unknown>;
  versions: number[];
  runs: number;
  /** Times the node produced an output (not skipped, not reused). */
  actions: number;
  automated: number;
  humanFallbacks: number;
  /** Automated outputs a person judged downstream, and how many of those they edited or rejected. */
  reviewedAutomated: number;
  wrongAutomated: number;
  falsePositiveRate: number | null;
  wrongConfidences: number[];
  /** Fallback decisions (the node asked a person), oldest first; for human-review nodes, their decisions. */
  decisions: Decision[];
  meanTimeToCorrectionMs: number | null;
  costUsd: number;
  costPerAction: number | null;
  /** Actions whose exact input had been seen before, and what they cost. */
  repeatedInputs: number;
  repeatedCostUsd: number;
}

const hash = (value: unknown) =>
  createHash('sha256')
    .update(canonicalize(value ?? null))
    .digest('hex');

interface EditedTask {
  /** Milliseconds from the task's creation to the edit. */
  ms: number;
  /** The edit gave back what was proposed (sameOutput): a confirmation, not a correction. */
  unchanged: boolean;
}

async function editedTasks(db: Queryable, taskIds: string[]): Promise<Map<string, EditedTask>> {
  if (taskIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; ms: number; proposed: unknown; value: unknown }>(
    `select id, (extract(epoch from decided_at - created_at) * 1000)::float8 as ms, proposed, value from review_tasks
     where id = any($1) and state = 'edited'`,
    [taskIds],
  );
  return new Map(rows.map((row) => [row.id, { ms: row.ms, unchanged: sameOutput(row.proposed, row.value) }]));
}

/** Metrics of every node of a workflow over its past runs (the same slice a canary takes). */
export async function metricsFromRuns(
  db: Queryable,
  workflowId: string,
  runs: PastRun[],
): Promise<NodePolicyMetrics[]> {
  type Wrong = { taskId?: string; confidence?: number };
  const groups = new Map<string, NodePolicyMetrics & { seen: Set<string>; edited: string[]; wrong: Wrong[] }>();
  for (const run of runs) {
    const plan: ExecutionPlan = run.input.plan;
    const entries = new Map(run.ledger.entries.map((entry) => [entry.nodeId, entry]));
    for (const node of plan.nodes) {
      if (node.id === plan.trigger) continue;
      const policyKey = hash(node.config);
      const groupKey = `${node.id}/${policyKey}`;
      let group = groups.get(groupKey);
      if (!group) {
        group = {
          workflowId,
          nodeId: node.id,
          nodeType: node.type,
          policyKey,
          config: node.config,
          versions: [],
          runs: 0,
          actions: 0,
          automated: 0,
          humanFallbacks: 0,
          reviewedAutomated: 0,
          wrongAutomated: 0,
          falsePositiveRate: null,
          wrongConfidences: [],
          decisions: [],
          meanTimeToCorrectionMs: null,
          costUsd: 0,
          costPerAction: null,
          repeatedInputs: 0,
          repeatedCostUsd: 0,
          seen: new Set(),
          edited: [],
          wrong: [],
        };
        groups.set(groupKey, group);
      }
      group.runs += 1;
      if (!group.versions.includes(run.input.workflow.version)) group.versions.push(run.input.workflow.version);
      const entry = entries.get(node.id);
      if (!entry || entry.tier === 'recorded') continue;
      group.costUsd += entry.costUsd ?? 0;
      if (entry.status !== 'completed') continue;
      group.actions += 1;
      const inputKey = hash(entry.input);
      if (group.seen.has(inputKey)) {
        group.repeatedInputs += 1;
        group.repeatedCostUsd += entry.costUsd ?? 0;
      }
      group.seen.add(inputKey);
      const verdict = verdictFor(node.id, plan, run.ledger);
      if (node.kind === 'human' || entry.tier === 'human') {
        const approval = entry.approvals.at(-1);
        if (node.kind !== 'human') group.humanFallbacks += 1;
        if (approval && approval.decision !== 'expired') {
          group.decisions.push({
            runId: run.workflowId,
            decision: approval.decision,
            unchanged: approval.decision === 'approved',
            ...(approval.taskId ? { taskId: approval.taskId } : {}),
            ...(entry.confidence !== undefined ? { confidence: entry.confidence } : {}),
            decidedAt: approval.decidedAt,
          });
          if (approval.decision === 'edited' && approval.taskId) group.edited.push(approval.taskId);
        }
        continue;
      }
      group.automated += 1;
      if (verdict?.by === 'review') {
        group.reviewedAutomated += 1;
        if (verdict.decision !== 'approved') {
          group.wrongAutomated += 1;
          group.wrong.push({
            ...(verdict.taskId ? { taskId: verdict.taskId } : {}),
            ...(entry.confidence !== undefined ? { confidence: entry.confidence } : {}),
          });
          if (verdict.decision === 'edited' && verdict.taskId) group.edited.push(verdict.taskId);
        }
      }
    }
  }
  const out: NodePolicyMetrics[] = [];
  for (const { seen: _seen, edited, wrong, ...group } of groups.values()) {
    const tasks = await editedTasks(db, edited);
    // An edit that gave back the proposal confirmed it: not a correction, not a false positive.
    for (const decision of group.decisions)
      if (decision.taskId && tasks.get(decision.taskId)?.unchanged) decision.unchanged = true;
    const confirmed = wrong.filter((w) => w.taskId && tasks.get(w.taskId)?.unchanged);
    const wrongAutomated = group.wrongAutomated - confirmed.length;
    const wrongConfidences = wrong
      .filter((w) => !confirmed.includes(w))
      .map((w) => w.confidence)
      .filter((c): c is number => c !== undefined);
    const times = [...tasks.values()].filter((t) => !t.unchanged).map((t) => t.ms);
    group.decisions.sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? ''));
    out.push({
      ...group,
      wrongAutomated,
      wrongConfidences,
      falsePositiveRate:
        group.reviewedAutomated > 0 ? Math.round((wrongAutomated / group.reviewedAutomated) * 1000) / 1000 : null,
      meanTimeToCorrectionMs: times.length > 0 ? Math.round(times.reduce((s, v) => s + v, 0) / times.length) : null,
      costUsd: Math.round(group.costUsd * 1e9) / 1e9,
      costPerAction: group.actions > 0 ? Math.round((group.costUsd / group.actions) * 1e9) / 1e9 : null,
    });
  }
  return out.sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.policyKey.localeCompare(b.policyKey));
}

export async function nodeMetrics(
  deps: Pick<ControlDeps, 'db' | 'temporal'>,
  workflowId: string,
  slice: CanarySlice = {},
): Promise<NodePolicyMetrics[]> {
  const runs = await listPastRuns(deps.temporal, workflowId, { limit: 200, ...slice });
  return metricsFromRuns(deps.db, workflowId, runs);
}
