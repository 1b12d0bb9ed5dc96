import type { NodeStats } from './compare.ts';
import type { CanaryRun, CanarySummary } from './reports.ts';

const round9 = (value: number) => Math.round(value * 1e9) / 1e9;

/** The report's headline: the per-node counts added up over the slice. */
export function summarize(
  label: string,
  nodes: NodeStats[],
  runs: CanaryRun[],
  extra: Partial<CanarySummary> = {},
): CanarySummary {
  const sum = (pick: (n: NodeStats) => number) => nodes.reduce((total, n) => total + pick(n), 0);
  const automatedOnReviewed = sum((n) => n.automatedOnReviewed);
  const matchesApproved = sum((n) => n.matchesApproved);
  const costBeforeUsd = round9(sum((n) => n.costBeforeUsd));
  const costAfterUsd = round9(sum((n) => n.costAfterUsd));
  return {
    label,
    runs: runs.length,
    canaryFailed: runs.filter((run) => run.status === 'failed').length,
    changedOutputs: sum((n) => n.changed),
    askedHumanBefore: sum((n) => n.askedHumanBefore),
    asksHumanNow: sum((n) => n.asksHumanNow),
    reviewed: sum((n) => n.reviewed),
    automatedOnReviewed,
    matchesApproved,
    estimatedFalsePositiveRate:
      automatedOnReviewed > 0
        ? Math.round(((automatedOnReviewed - matchesApproved) / automatedOnReviewed) * 1000) / 1000
        : null,
    sideEffectsReused: 0,
    costBeforeUsd,
    costAfterUsd,
    costDeltaUsd: round9(costAfterUsd - costBeforeUsd),
    ...extra,
  };
}
