import { describe, expect, it } from 'vitest';
import { proposalDrafts } from '../../control/learning/advisor.ts';
import type { NodePolicyMetrics } from '../../control/learning/metrics.ts';

const settings = { streak: 3, maxFalsePositiveRate: 0.2, minReviewed: 3 };

function metrics(overrides: Partial<NodePolicyMetrics>): NodePolicyMetrics {
  return {
    workflowId: 'wf-triage',
    nodeId: 'actions',
    nodeType: 'extract',
    policyKey: 'k',
    config: { policy: { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: 0.6 } },
    versions: [1],
    runs: 10,
    actions: 10,
    automated: 10,
    humanFallbacks: 0,
    reviewedAutomated: 0,
    wrongAutomated: 0,
    falsePositiveRate: null,
    wrongConfidences: [],
    decisions: [],
    meanTimeToCorrectionMs: null,
    costUsd: 0,
    costPerAction: 0,
    repeatedInputs: 0,
    repeatedCostUsd: 0,
    ...overrides,
  };
}

describe('policy advisor', () => {
  it('raises minConfidence above the confidence of the automated outputs people corrected', () => {
    const [draft, ...rest] = proposalDrafts(
      metrics({ reviewedAutomated: 5, wrongAutomated: 2, falsePositiveRate: 0.4, wrongConfidences: [0.66, 0.71] }),
      settings,
    );
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      kind: 'raise-min-confidence',
      candidate: {
        kind: 'node-config',
        nodeId: 'actions',
        config: { policy: { minConfidence: 0.72, maxCostUsd: 0.01 } },
      },
      evidence: { reviewedAutomated: 5, wrongAutomated: 2, falsePositiveRate: 0.4, wrongConfidences: [0.66, 0.71] },
    });
    expect(draft?.summary).toBe(
      'actions: 2 of 5 automated outputs were corrected (false-positive rate 0.4); raise minConfidence 0.6 → 0.72',
    );
  });

  it('does not judge a false-positive rate on too few reviews, or a low one', () => {
    expect(
      proposalDrafts(
        metrics({ reviewedAutomated: 2, wrongAutomated: 1, falsePositiveRate: 0.5, wrongConfidences: [0.7] }),
        settings,
      ),
    ).toEqual([]);
    expect(
      proposalDrafts(
        metrics({ reviewedAutomated: 10, wrongAutomated: 1, falsePositiveRate: 0.1, wrongConfidences: [0.7] }),
        settings,
      ),
    ).toEqual([]);
  });

  it('allows automation only after the streak of unchanged approvals', () => {
    const decision = (unchanged: boolean, confidence: number) => ({
      runId: 'r',
      decision: unchanged ? ('approved' as const) : ('edited' as const),
      unchanged,
      confidence,
    });
    const broken = metrics({ decisions: [decision(true, 0.5), decision(false, 0.55), decision(true, 0.58)] });
    expect(proposalDrafts(broken, settings)).toEqual([]);
    const streak = metrics({
      decisions: [decision(false, 0.3), decision(true, 0.52), decision(true, 0.58), decision(true, 0.55)],
    });
    expect(proposalDrafts(streak, settings)[0]).toMatchObject({
      kind: 'allow-automation',
      candidate: { config: { policy: { minConfidence: 0.52 } } },
    });
    const review = metrics({
      nodeId: 'review',
      nodeType: 'human-review',
      config: { instructions: 'Check', timeoutMinutes: 2880, onTimeout: 'escalate' },
      decisions: [decision(true, 1), decision(true, 1), decision(true, 1)],
    });
    expect(proposalDrafts(review, settings)[0]).toMatchObject({
      kind: 'allow-automation',
      candidate: { config: { onTimeout: 'approve', timeoutMinutes: 60 } },
    });
  });

  it('proposes the cached tier where the same input came back and the cache is not allowed', () => {
    const config = { policy: { maxCostUsd: 0.05, maxLatencyMs: 60000, minConfidence: 0.7, tiers: ['provider'] } };
    const [draft] = proposalDrafts(
      metrics({ nodeType: 'generate', config, repeatedInputs: 3, repeatedCostUsd: 0.0312 }),
      settings,
    );
    expect(draft).toMatchObject({
      kind: 'enable-cache',
      candidate: { config: { policy: { tiers: ['cached', 'provider'] } } },
      evidence: { repeatedInputs: 3, repeatedCostUsd: 0.0312 },
    });
    expect(proposalDrafts(metrics({ nodeType: 'generate', repeatedInputs: 3 }), settings)).toEqual([]);
  });
});
