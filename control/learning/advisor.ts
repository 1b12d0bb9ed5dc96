// The policy advisor: from the metrics of a workflow's nodes it proposes policy changes with
// their evidence. A proposal is only a candidate: it goes through a canary (canaryProposal) and
// becomes live only by promoting that report (control/canary/promote.ts).
import { createHash } from 'node:crypto';
import type { Queryable } from '../../store/db.ts';
import { getVersion } from '../../store/workflows.ts';
import { runCanary } from '../canary/run-canary.ts';
import type { CanaryReport } from '../canary/reports.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import type { CanaryCandidate, CanarySlice } from '../schemas/canary.ts';
import { nodeMetrics, type NodePolicyMetrics } from './metrics.ts';

export type ProposalKind = 'raise-min-confidence' | 'allow-automation' | 'enable-cache';

export interface Proposal {
  id: string;
  kind: ProposalKind;
  workflowId: string;
  nodeId: string;
  summary: string;
  candidate: Extract<CanaryCandidate, { kind: 'node-config' }>;
  evidence: Record<string, unknown>;
  status: 'open' | 'canaried' | 'promoted' | 'dismissed';
  reportId?: string;
  createdAt: string;
}

export interface AdvisorOptions {
  /** Unchanged approvals in a row that allow automation (default 3). */
  streak?: number;
  /** Automated false-positive rate above which minConfidence should rise (default 0.2). */
  maxFalsePositiveRate?: number;
  /** Reviews of automated output needed before judging its false-positive rate (default 3). */
  minReviewed?: number;
  slice?: CanarySlice;
}

export type Draft = Omit<Proposal, 'id' | 'status' | 'createdAt'>;

const up2 = (value: number) => Math.ceil(value * 100 - 1e-9) / 100;
const down2 = (value: number) => Math.floor(value * 100 + 1e-9) / 100;

interface ModelPolicyLike {
  minConfidence?: number;
  tiers?: string[];
  maxCostUsd?: number;
  maxLatencyMs?: number;
}

/** What the metrics of one node and policy suggest, pure (the evidence is in each draft). */
export function proposalDrafts(metrics: NodePolicyMetrics, options: Required<Omit<AdvisorOptions, 'slice'>>): Draft[] {
  const drafts: Draft[] = [];
  const policy = metrics.config.policy as ModelPolicyLike | undefined;
  const base = { workflowId: metrics.workflowId, nodeId: metrics.nodeId };
  const patch = (config: Record<string, unknown>) => ({ kind: 'node-config' as const, ...base, config });
  const common = {
    runs: metrics.runs,
    actions: metrics.actions,
    versions: metrics.versions,
    policyKey: metrics.policyKey,
  };

  if (
    policy?.minConfidence !== undefined &&
    metrics.reviewedAutomated >= options.minReviewed &&
    (metrics.falsePositiveRate ?? 0) > options.maxFalsePositiveRate &&
    metrics.wrongConfidences.length > 0
  ) {
    const raised = Math.min(0.99, up2(Math.max(...metrics.wrongConfidences) + 0.01));
    if (raised > policy.minConfidence)
      drafts.push({
        ...base,
        kind: 'raise-min-confidence',
        summary: `${metrics.nodeId}: ${metrics.wrongAutomated} of ${metrics.reviewedAutomated} automated outputs were corrected (false-positive rate ${metrics.falsePositiveRate}); raise minConfidence ${policy.minConfidence} → ${raised}`,
        candidate: patch({ policy: { ...policy, minConfidence: raised } }),
        evidence: {
          ...common,
          reviewedAutomated: metrics.reviewedAutomated,
          wrongAutomated: metrics.wrongAutomated,
          falsePositiveRate: metrics.falsePositiveRate,
          wrongConfidences: metrics.wrongConfidences,
        },
      });
  }

  const recent = metrics.decisions.slice(-options.streak);
  const unchanged = recent.length === options.streak && recent.every((d) => d.unchanged);
  if (unchanged && metrics.nodeType === 'human-review') {
    const config = metrics.config as { onTimeout?: string; timeoutMinutes?: number };
    if (config.onTimeout !== 'approve')
      drafts.push({
        ...base,
        kind: 'allow-automation',
        summary: `${metrics.nodeId}: the last ${options.streak} reviews were approved unchanged; approve automatically after an hour unless someone objects`,
        candidate: patch({ onTimeout: 'approve', timeoutMinutes: Math.min(config.timeoutMinutes ?? 60, 60) }),
        evidence: { ...common, decisions: recent },
      });
  } else if (unchanged && policy?.minConfidence !== undefined) {
    const confidences = recent.map((d) => d.confidence).filter((c): c is number => c !== undefined);
    const lowered = confidences.length === recent.length ? down2(Math.min(...confidences)) : undefined;
    if (lowered !== undefined && lowered < policy.minConfidence)
      drafts.push({
        ...base,
        kind: 'allow-automation',
        summary: `${metrics.nodeId}: a person approved the last ${options.streak} proposals unchanged (confidence ${confidences.join(', ')}); lower minConfidence ${policy.minConfidence} → ${lowered}`,
        candidate: patch({ policy: { ...policy, minConfidence: lowered } }),
        evidence: { ...common, decisions: recent },
      });
  }

  if (policy?.tiers && !policy.tiers.includes('cached') && metrics.repeatedInputs >= 2) {
    drafts.push({
      ...base,
      kind: 'enable-cache',
      summary: `${metrics.nodeId}: ${metrics.repeatedInputs} actions repeated an input seen before ($${metrics.repeatedCostUsd.toFixed(4)}); allow the cached tier`,
      candidate: patch({ policy: { ...policy, tiers: ['cached', ...policy.tiers] } }),
      evidence: { ...common, repeatedInputs: metrics.repeatedInputs, repeatedCostUsd: metrics.repeatedCostUsd },
    });
  }
  return drafts;
}

interface ProposalRow {
  id: string;
  kind: ProposalKind;
  workflow_id: string;
  node_id: string;
  summary: string;
  candidate: Proposal['candidate'];
  evidence: Record<string, unknown>;
  status: Proposal['status'];
  report_id: string | null;
  created_at: Date;
}

const toProposal = (row: ProposalRow): Proposal => ({
  id: row.id,
  kind: row.kind,
  workflowId: row.workflow_id,
  nodeId: row.node_id,
  summary: row.summary,
  candidate: row.candidate,
  evidence: row.evidence,
  status: row.status,
  ...(row.report_id ? { reportId: row.report_id } : {}),
  createdAt: row.created_at.toISOString(),
});

/**
 * Looks at the workflow's past runs and stores what it proposes, for the node configs of its
 * latest version (what a change would build on). An open proposal of the same kind for the same
 * node is kept rather than duplicated.
 */
export async function proposePolicyChanges(
  deps: ControlDeps,
  workflowId: string,
  options: AdvisorOptions = {},
): Promise<Proposal[]> {
  const settings = {
    streak: options.streak ?? 3,
    maxFalsePositiveRate: options.maxFalsePositiveRate ?? 0.2,
    minReviewed: options.minReviewed ?? 3,
  };
  const latest = await getVersion(deps.db, workflowId);
  if (!latest) throw new ControlError(`workflow ${workflowId} has no published version`, 404);
  const current = new Map(latest.plan.nodes.map((node) => [node.id, JSON.stringify(node.config)]));
  const metrics = (await nodeMetrics(deps, workflowId, options.slice)).filter(
    (m) => current.get(m.nodeId) === JSON.stringify(m.config),
  );
  const proposals: Proposal[] = [];
  for (const draft of metrics.flatMap((m) => proposalDrafts(m, settings))) {
    const id = `proposal-${createHash('sha256')
      .update(JSON.stringify([draft.kind, draft.candidate]))
      .digest('hex')
      .slice(0, 16)}`;
    const candidate = { ...draft.candidate, baseVersion: latest.version };
    await deps.db.query(
      `insert into control_proposals (id, kind, workflow_id, node_id, summary, candidate, evidence)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [
        id,
        draft.kind,
        draft.workflowId,
        draft.nodeId,
        draft.summary,
        JSON.stringify(candidate),
        JSON.stringify(draft.evidence),
      ],
    );
    const { rows } = await deps.db.query<ProposalRow>(
      `select * from control_proposals where workflow_id = $1 and node_id = $2 and kind = $3 and status in ('open', 'canaried')`,
      [draft.workflowId, draft.nodeId, draft.kind],
    );
    if (rows[0]) proposals.push(toProposal(rows[0]));
  }
  return proposals;
}

export async function listProposals(
  db: Queryable,
  { workflowId, status }: { workflowId?: string; status?: Proposal['status'] } = {},
): Promise<Proposal[]> {
  const { rows } = await db.query<ProposalRow>(
    `select * from control_proposals where ($1::text is null or workflow_id = $1) and ($2::text is null or status = $2)
     order by created_at desc, id`,
    [workflowId ?? null, status ?? null],
  );
  return rows.map(toProposal);
}

/** Runs the proposal's canary; the report (not the proposal) is what can be promoted. */
export async function canaryProposal(
  deps: ControlDeps,
  proposalId: string,
  { slice = {}, createdBy = 'advisor' }: { slice?: CanarySlice; createdBy?: string } = {},
): Promise<CanaryReport> {
  const { rows } = await deps.db.query<ProposalRow>('select * from control_proposals where id = $1', [proposalId]);
  const row = rows[0];
  if (!row) throw new ControlError(`proposal ${proposalId} does not exist`, 404);
  if (row.status !== 'open' && row.status !== 'canaried')
    throw new ControlError(`proposal ${proposalId} is ${row.status}`);
  const report = await runCanary(deps, { candidate: row.candidate, slice, createdBy });
  await deps.db.query(`update control_proposals set status = 'canaried', report_id = $2 where id = $1`, [
    proposalId,
    report.id,
  ]);
  return report;
}

export async function dismissProposal(db: Queryable, proposalId: string): Promise<void> {
  await db.query(
    `update control_proposals set status = 'dismissed', decided_at = now() where id = $1 and status in ('open', 'canaried')`,
    [proposalId],
  );
}
