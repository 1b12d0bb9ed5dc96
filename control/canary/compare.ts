// Comparing a canary run with the run it replayed, pure: per node, did the output change, did
// it (or would it) ask a person, and where a person judged the old output, does the new one
// match what they approved. Then the counts per node over the whole slice.
import { canonicalize } from 'json-canonicalize';
import type { ExecutionPlan, PlanNode } from '../../schemas/execution-plan.ts';
import type { LedgerEntry } from '../../schemas/ledger-entry.ts';
import type { Ledger } from '../../temporal/ledger.ts';
import type { NodeState } from '../../temporal/workflows/run-types.ts';

/** Bookkeeping that differs between equal answers: how sure, which tier, which model. */
const VOLATILE = new Set(['confidence', 'tier', 'model']);

export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !VOLATILE.has(key))
        .map(([key, item]) => [key, normalize(item)]),
    );
  return value;
}

const key = (value: unknown) => canonicalize(normalize(value) ?? null);

function single(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 ? entries[0]![1] : undefined;
}

/**
 * Equal after normalising; a one-port output also equals its port's value (a person who fills
 * in a node's output may give the value of its only port).
 */
export function sameOutput(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (key(a) === key(b)) return true;
  const innerA = single(a);
  const innerB = single(b);
  return (innerA !== undefined && key(innerA) === key(b)) || (innerB !== undefined && key(a) === key(innerB));
}

export interface Verdict {
  decision: 'approved' | 'edited' | 'rejected';
  /** What the person approved: the node's output, or (port set) the reviewed port's value. */
  value?: unknown;
  port?: string;
  by: 'fallback' | 'review';
  taskId?: string;
}

/** A person's judgement of a node's output in a past run: its own fallback task, or a review of it downstream. */
export function verdictFor(nodeId: string, plan: ExecutionPlan, ledger: Ledger): Verdict | undefined {
  const entries = new Map(ledger.entries.map((entry) => [entry.nodeId, entry]));
  const node = plan.nodes.find((n) => n.id === nodeId);
  const own = entries.get(nodeId);
  const judged = (approval: LedgerEntry['approvals'][number] | undefined) =>
    approval && approval.decision !== 'expired' ? approval : undefined;
  const fallback = judged(own?.approvals.at(-1));
  if (node && node.kind !== 'human' && fallback) {
    return {
      decision: fallback.decision as Verdict['decision'],
      ...(fallback.decision !== 'rejected' && own?.output !== undefined ? { value: own.output } : {}),
      by: 'fallback',
      ...(fallback.taskId ? { taskId: fallback.taskId } : {}),
    };
  }
  for (const reviewer of plan.nodes.filter((n) => n.kind === 'human')) {
    const source = reviewer.inputs.find((input) => input.port === 'value')?.sources.find((s) => s.node === nodeId);
    const approval = judged(entries.get(reviewer.id)?.approvals.at(-1));
    if (!source || !approval) continue;
    return {
      decision: approval.decision as Verdict['decision'],
      ...(approval.decision !== 'rejected' ? { value: approval.value } : {}),
      port: source.port,
      by: 'review',
      ...(approval.taskId ? { taskId: approval.taskId } : {}),
    };
  }
  return undefined;
}

export interface NodeObservation {
  nodeId: string;
  nodeType: string;
  /** Side effects and human steps: their recorded output was reused, nothing ran. */
  reused: boolean;
  changed: boolean;
  askedHumanBefore: boolean;
  asksHumanNow: boolean;
  automatedNow: boolean;
  verdict?: Verdict['decision'];
  matchesApproved?: boolean;
  costBeforeUsd: number;
  costAfterUsd: number;
  latencyBeforeMs?: number;
  latencyAfterMs?: number;
  before?: unknown;
  after?: unknown;
  note?: string;
}

export interface CanaryOutcome {
  status: 'completed' | 'failed';
  outputs: Record<string, Record<string, unknown>>;
  nodes: NodeState[];
  ledger?: Ledger;
  error?: string;
}

function latencyOf(entry: LedgerEntry | undefined): number | undefined {
  if (!entry) return undefined;
  if (entry.latencyMs !== undefined) return entry.latencyMs;
  if (!entry.startedAt || !entry.endedAt) return undefined;
  return Math.max(0, Date.parse(entry.endedAt) - Date.parse(entry.startedAt));
}

const asksPerson = (state: NodeState | undefined) => state?.reason?.startsWith('canary: would ask a person') ?? false;

export function compareRun(
  past: { plan: ExecutionPlan; ledger: Ledger },
  candidate: ExecutionPlan,
  canary: CanaryOutcome,
  reusedIds: ReadonlySet<string>,
): NodeObservation[] {
  const pastEntries = new Map(past.ledger.entries.map((entry) => [entry.nodeId, entry]));
  const canaryEntries = new Map((canary.ledger?.entries ?? []).map((entry) => [entry.nodeId, entry]));
  const states = new Map(canary.nodes.map((state) => [state.id, state]));
  return candidate.nodes
    .filter((node: PlanNode) => node.id !== candidate.trigger)
    .map((node) => {
      const before = pastEntries.get(node.id);
      const state = states.get(node.id);
      const reused = reusedIds.has(node.id);
      const asksHumanNow = asksPerson(state);
      const after = canary.outputs[node.id];
      const automatedNow = state?.status === 'completed' && !reused && !asksHumanNow;
      const verdict = verdictFor(node.id, past.plan, past.ledger);
      const observation: NodeObservation = {
        nodeId: node.id,
        nodeType: node.type,
        reused,
        changed: !reused && !sameOutput(before?.output, after),
        askedHumanBefore: node.kind !== 'human' && before?.tier === 'human',
        asksHumanNow,
        automatedNow,
        costBeforeUsd: before?.costUsd ?? 0,
        costAfterUsd: reused ? 0 : (canaryEntries.get(node.id)?.costUsd ?? 0),
        ...(before?.output !== undefined ? { before: before.output } : {}),
        ...(after !== undefined ? { after } : {}),
      };
      const latencyBefore = latencyOf(before);
      const latencyAfter = reused ? undefined : latencyOf(canaryEntries.get(node.id));
      if (latencyBefore !== undefined) observation.latencyBeforeMs = latencyBefore;
      if (latencyAfter !== undefined) observation.latencyAfterMs = latencyAfter;
      if (state?.reason) observation.note = state.reason;
      if (verdict && !reused) {
        observation.verdict = verdict.decision;
        if (automatedNow) {
          const produced = verdict.port ? after?.[verdict.port] : after;
          observation.matchesApproved = verdict.decision !== 'rejected' && sameOutput(produced, verdict.value);
        }
      }
      return observation;
    });
}

export interface NodeStats {
  nodeId: string;
  nodeType: string;
  runs: number;
  reused: number;
  compared: number;
  changed: number;
  askedHumanBefore: number;
  asksHumanNow: number;
  /** Runs in which a person judged this node's output. */
  reviewed: number;
  /** Of those, the candidate produced the output by itself (no person would be asked). */
  automatedOnReviewed: number;
  /** Of those, its output equals what the person approved. */
  matchesApproved: number;
  /** (automatedOnReviewed − matchesApproved) / automatedOnReviewed; null when nothing to judge. */
  estimatedFalsePositiveRate: number | null;
  costBeforeUsd: number;
  costAfterUsd: number;
  costDeltaUsd: number;
  meanLatencyBeforeMs: number | null;
  meanLatencyAfterMs: number | null;
  latencyDeltaMs: number | null;
}

const mean = (values: number[]) =>
  values.length > 0 ? Math.round(values.reduce((sum, v) => sum + v, 0) / values.length) : null;
const cents = (value: number) => Math.round(value * 1e9) / 1e9;

export function aggregate(runs: NodeObservation[][]): NodeStats[] {
  const byNode = new Map<string, NodeObservation[]>();
  for (const run of runs) for (const obs of run) byNode.set(obs.nodeId, [...(byNode.get(obs.nodeId) ?? []), obs]);
  return [...byNode.entries()].map(([nodeId, list]) => {
    const count = (pick: (o: NodeObservation) => boolean) => list.filter(pick).length;
    const automatedOnReviewed = count((o) => o.verdict !== undefined && o.automatedNow);
    const matchesApproved = count((o) => o.matchesApproved === true);
    const costBeforeUsd = cents(list.reduce((sum, o) => sum + o.costBeforeUsd, 0));
    const costAfterUsd = cents(list.reduce((sum, o) => sum + o.costAfterUsd, 0));
    const before = mean(
      list.filter((o) => !o.reused && o.latencyBeforeMs !== undefined).map((o) => o.latencyBeforeMs!),
    );
    const after = mean(list.filter((o) => o.latencyAfterMs !== undefined).map((o) => o.latencyAfterMs!));
    return {
      nodeId,
      nodeType: list[0]!.nodeType,
      runs: list.length,
      reused: count((o) => o.reused),
      compared: count((o) => !o.reused),
      changed: count((o) => o.changed),
      askedHumanBefore: count((o) => o.askedHumanBefore),
      asksHumanNow: count((o) => o.asksHumanNow),
      reviewed: count((o) => o.verdict !== undefined),
      automatedOnReviewed,
      matchesApproved,
      estimatedFalsePositiveRate:
        automatedOnReviewed > 0
          ? Math.round(((automatedOnReviewed - matchesApproved) / automatedOnReviewed) * 1000) / 1000
          : null,
      costBeforeUsd,
      costAfterUsd,
      costDeltaUsd: cents(costAfterUsd - costBeforeUsd),
      meanLatencyBeforeMs: before,
      meanLatencyAfterMs: after,
      latencyDeltaMs: before !== null && after !== null ? after - before : null,
    };
  });
}
