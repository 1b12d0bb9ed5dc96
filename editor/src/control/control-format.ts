// How control-plane values read: confidences, candidates, routes.
import type { CanaryReport } from '../api/types.ts';
import { formatDate } from '../ui/format.ts';

/** A classifier's confidence as a share: 0.3 → "30%". */
export function formatConfidence(confidence: number | null | undefined): string {
  return confidence === undefined || confidence === null ? '—' : `${Math.round(confidence * 100)}%`;
}

/** What a canary tried, in words: "rules v4", "Grade orders v3", "Grade orders v2 with grade changed". */
export function describeCandidate(
  candidate: CanaryReport['candidate'],
  workflowName: (id: string) => string,
  /** The version a node change was tried on when the candidate did not name one (the report's summary says). */
  baseVersion?: number,
): string {
  if (candidate.kind === 'rule-set') return `rules v${candidate.ruleSetVersion}`;
  if (candidate.kind === 'version') return `${workflowName(candidate.workflowId)} v${candidate.version}`;
  if (candidate.kind === 'extraction-model') return `intent model ${candidate.modelId}`;
  const version = candidate.baseVersion ?? baseVersion;
  return `${workflowName(candidate.workflowId)}${version ? ` v${version}` : ''} with ${candidate.nodeId} changed`;
}

export function describeSlice(slice: CanaryReport['slice'], clientName: (id: string) => string): string {
  const parts = [
    slice.from ? `from ${formatDate(slice.from)}` : '',
    slice.to ? `until ${formatDate(slice.to)}` : '',
    slice.clientId ? `client ${clientName(slice.clientId)}` : '',
    `at most ${slice.limit ?? 50}`,
  ].filter(Boolean);
  return parts.join(', ');
}

/** A signed difference: "+$0.02", "−120 ms". */
export function signed(value: number | null | undefined, format: (v: number) => string): string {
  if (value === undefined || value === null) return '—';
  if (value === 0) return format(0);
  return `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

/** The name people use for an operator: the one the review queue remembers. */
export function operatorName(): string {
  return localStorage.getItem('trellis.reviewer')?.trim() || 'operator';
}

type Candidate = CanaryReport['candidate'];

/** What promoting a candidate will do, said before the operator confirms. */
export function promoteEffect(candidate: Candidate, workflowName: (id: string) => string): string {
  if (candidate.kind === 'rule-set')
    return `Rules v${candidate.ruleSetVersion} become the live rules (the current live rules are retired): every event routed from now on follows them.`;
  if (candidate.kind === 'version')
    return `Every live rule (and the default) that runs ${workflowName(candidate.workflowId)} is pinned to v${candidate.version}, as a new live rule set.`;
  if (candidate.kind === 'extraction-model')
    return `Intent model ${candidate.modelId} becomes the one every extract step reads with from now on (the current live one is retired).`;
  return `The change to ${candidate.nodeId} is published as the next version of ${workflowName(candidate.workflowId)}, and the live rules that run it are pinned to that version.`;
}

/** What a promotion did, from the report's `promotion`: "rules v5 are live", "published Billing v3 (rules v6 pin it)". */
export function describePromotion(promotion: Record<string, unknown>, workflowName: (id: string) => string): string {
  const ruleSetVersion = typeof promotion.ruleSetVersion === 'number' ? promotion.ruleSetVersion : undefined;
  const workflowId = typeof promotion.workflowId === 'string' ? promotion.workflowId : undefined;
  const version = typeof promotion.version === 'number' ? promotion.version : undefined;
  if (typeof promotion.modelId === 'string') return `intent model ${promotion.modelId} is live.`;
  if (!workflowId) return ruleSetVersion ? `rules v${ruleSetVersion} are live.` : 'done.';
  const what = `${promotion.planHash ? 'published ' : ''}${workflowName(workflowId)} v${version ?? '?'}`;
  return ruleSetVersion
    ? `${what}, pinned by the live rules (v${ruleSetVersion}).`
    : `${what}; no live rule runs this workflow, so routing is unchanged.`;
}

/**
 * Why the report cannot be promoted, as the server would refuse it (docs/API.md, Canaries), or
 * undefined when it can. `latestVersion` is the workflow's newest published version (a node change
 * builds on the version it was canaried on); `ruleSetStatus` the candidate rule set's status.
 */
export function promoteBlocker(
  report: Pick<CanaryReport, 'status' | 'summary' | 'candidate' | 'promotedAt' | 'promotedBy' | 'error'>,
  context: { latestVersion?: number | undefined; ruleSetStatus?: string | undefined },
): string | undefined {
  if (report.status === 'promoted')
    return `Already promoted${report.promotedBy ? ` by ${report.promotedBy}` : ''}${report.promotedAt ? `, ${formatDate(report.promotedAt)}` : ''}.`;
  if (report.status === 'running') return 'The canary is still running.';
  if (report.status === 'failed') return 'The canary failed: the candidate cannot go live.';
  const failed = report.summary?.canaryFailed ?? 0;
  if (failed > 0) return `${failed} canary run${failed === 1 ? '' : 's'} failed: the candidate cannot go live.`;
  const { candidate } = report;
  if (candidate.kind === 'node-config') {
    const base = report.summary?.baseVersion;
    if (base !== undefined && context.latestVersion !== undefined && context.latestVersion !== base)
      return `Made on v${base}; v${context.latestVersion} has been published since. Run the canary again.`;
  }
  if (candidate.kind === 'rule-set' && context.ruleSetStatus && context.ruleSetStatus !== 'draft')
    return `Rules v${candidate.ruleSetVersion} are ${context.ruleSetStatus}, not a draft.`;
  return undefined;
}
