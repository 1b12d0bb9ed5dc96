import { describe, expect, it } from 'vitest';
import { aggregate, compareRun, sameOutput, verdictFor, type CanaryOutcome } from '../../control/canary/compare.ts';
import { applyMergePatch } from '../../lib/merge-patch.ts';
import type { ExecutionPlan, PlanNode } from '../../schemas/execution-plan.ts';
import type { LedgerEntry } from '../../schemas/ledger-entry.ts';
import type { Ledger } from '../../temporal/ledger.ts';

const node = (
  id: string,
  type: string,
  kind: PlanNode['kind'],
  inputs: PlanNode['inputs'] = [],
  sideEffects = false,
): PlanNode => ({
  id,
  type,
  version: 1,
  kind,
  config: {},
  inputs,
  dependsOn: inputs.flatMap((i) => i.sources.map((s) => s.node)),
  timeoutMs: 1000,
  continueOnFailure: false,
  sideEffects,
});

// start → draft (a model) → review (human-review of draft.text) → send (side effect)
const plan: ExecutionPlan = {
  format: 1,
  hash: 'a'.repeat(64),
  name: 'reply',
  trigger: 'start',
  order: ['start', 'draft', 'review', 'send'],
  nodes: [
    node('start', 'trigger', 'trigger'),
    node('draft', 'generate', 'activity', [
      { port: 'data', required: false, collect: false, sources: [{ node: 'start', port: 'data' }] },
    ]),
    node('review', 'human-review', 'human', [
      { port: 'value', required: true, collect: false, sources: [{ node: 'draft', port: 'draft' }] },
    ]),
    node(
      'send',
      'test.effect',
      'activity',
      [{ port: 'value', required: true, collect: false, sources: [{ node: 'review', port: 'value' }] }],
      true,
    ),
  ],
};

const entry = (nodeId: string, extra: Partial<LedgerEntry>): LedgerEntry => ({
  runId: 'r',
  nodeId,
  nodeType: plan.nodes.find((n) => n.id === nodeId)!.type,
  status: 'completed',
  attempt: 1,
  approvals: [],
  ...extra,
});

function ledger(draftText: string, review: { decision: 'approved' | 'edited' | 'rejected'; value?: unknown }): Ledger {
  return {
    workflowId: 'run:wf:1',
    runId: 'r',
    planHash: plan.hash,
    planName: plan.name,
    workflow: { id: 'wf', version: 1 },
    mode: 'live',
    status: 'completed',
    startedAt: '2025-01-01T00:00:00.000Z',
    trigger: { data: {} },
    entries: [
      entry('start', { output: { data: {} } }),
      entry('draft', {
        output: { draft: { kind: 'reply', text: draftText } },
        tier: 'provider',
        costUsd: 0.002,
        latencyMs: 900,
      }),
      entry('review', {
        tier: 'human',
        output: { decision: review.decision, ...(review.value ? { value: review.value } : {}) },
        approvals: [
          {
            taskId: 't1',
            decision: review.decision,
            reviewer: 'ana',
            decidedAt: '2025-01-01T00:01:00.000Z',
            ...(review.value ? { value: review.value } : {}),
          },
        ],
      }),
      entry('send', { output: { key: 'k' } }),
    ],
    compensations: [],
    totals: { costUsd: 0.002, tokens: 0, humanDecisions: 1 },
    eventCount: 10,
  };
}

function canary(draftText: string): CanaryOutcome {
  return {
    status: 'completed',
    outputs: { draft: { draft: { kind: 'reply', text: draftText, tier: 'cached' } }, review: {}, send: { key: 'k' } },
    nodes: [
      { id: 'draft', type: 'generate', status: 'completed', tier: 'cached' },
      { id: 'review', type: 'human-review', status: 'completed', tier: 'recorded' },
      { id: 'send', type: 'test.effect', status: 'completed', tier: 'recorded' },
    ],
  };
}

describe('canary comparison', () => {
  it('ignores confidence, tier and model, and a one-port output equals its port value', () => {
    expect(sameOutput({ a: 1, confidence: 0.4, tier: 'local' }, { a: 1, confidence: 0.9 })).toBe(true);
    expect(sameOutput({ extraction: { intent: 'x' } }, { intent: 'x', tier: 'human' })).toBe(true);
    expect(sameOutput({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameOutput(undefined, { a: 1 })).toBe(false);
  });

  it('attributes a downstream review to the node whose output it reviewed', () => {
    const verdict = verdictFor(
      'draft',
      plan,
      ledger('Hi', { decision: 'edited', value: { kind: 'reply', text: 'Hello' } }),
    );
    expect(verdict).toEqual({
      decision: 'edited',
      value: { kind: 'reply', text: 'Hello' },
      port: 'draft',
      by: 'review',
      taskId: 't1',
    });
    expect(verdictFor('send', plan, ledger('Hi', { decision: 'approved', value: {} }))).toBeUndefined();
  });

  it('counts changes, matches with the approved value, reuse of side effects and cost', () => {
    const reused = new Set(['review', 'send']);
    const runs = [
      // The person approved "Hi"; the candidate writes "Hi" too: no change, a match.
      compareRun(
        { plan, ledger: ledger('Hi', { decision: 'approved', value: { kind: 'reply', text: 'Hi' } }) },
        plan,
        canary('Hi'),
        reused,
      ),
      // The person corrected "Hi" to "Hello"; the candidate now writes "Hello": a change that matches.
      compareRun(
        { plan, ledger: ledger('Hi', { decision: 'edited', value: { kind: 'reply', text: 'Hello' } }) },
        plan,
        canary('Hello'),
        reused,
      ),
      // The person rejected the draft; the candidate writes one anyway: a false positive.
      compareRun({ plan, ledger: ledger('Yo', { decision: 'rejected' }) }, plan, canary('Yo!'), reused),
    ];
    const [draft, review, send] = aggregate(runs);
    expect(draft).toMatchObject({
      nodeId: 'draft',
      runs: 3,
      compared: 3,
      changed: 2,
      reviewed: 3,
      automatedOnReviewed: 3,
      matchesApproved: 2,
      estimatedFalsePositiveRate: 0.333,
      costBeforeUsd: 0.006,
      costAfterUsd: 0,
      costDeltaUsd: -0.006,
      meanLatencyBeforeMs: 900,
    });
    expect(review).toMatchObject({ nodeId: 'review', reused: 3, compared: 0, changed: 0, reviewed: 0 });
    expect(send).toMatchObject({ nodeId: 'send', reused: 3, changed: 0 });
  });

  it('patches a node config as a JSON merge patch', () => {
    expect(
      applyMergePatch(
        { policy: { minConfidence: 0.6, maxCostUsd: 0.01 }, fields: ['a'] },
        { policy: { minConfidence: 0.4 }, fields: null },
      ),
    ).toEqual({
      policy: { minConfidence: 0.4, maxCostUsd: 0.01 },
    });
  });
});
