import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { promote } from '../../control/canary/promote.ts';
import { runCanary } from '../../control/canary/run-canary.ts';
import { listPastRuns } from '../../control/canary/slice.ts';
import type { ControlDeps } from '../../control/deps.ts';
import { canaryProposal, listProposals, proposePolicyChanges } from '../../control/learning/advisor.ts';
import { nodeMetrics } from '../../control/learning/metrics.ts';
import { createModelRouter } from '../../models/index.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';
import { createWorkflow, getVersion, publishVersion } from '../../store/workflows.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { decide, runStatus, startRun } from '../../temporal/runs.ts';
import { openClosedCalibration, routedEmails, type RoutedEmail } from '../support/corpus-emails.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices, startHarness, type Harness } from '../support/interpreter-harness.ts';

// A triage flow as the templates draw it: every email is extracted (a human confirms the
// extraction the extractor is unsure of), and a side effect records the email. Seven past runs:
// three the extractor was sure of, four decided by a person: the least sure one corrected (intent
// → feedback), the other three approved unchanged. Then candidates are tried on that ledger.
// Both routes are needed, also while the shipped calibration is closed (nothing passes alone yet).
openClosedCalibration();
const routed = await routedEmails(3, 4, 0.3);
const sure = routed.filter((e) => e.route === 'auto');
const unsure = routed.filter((e) => e.route === 'person').sort((a, b) => a.reported - b.reported);
const pastEmails: { email: RoutedEmail; decision?: 'approved' | 'edited' }[] = [
  ...sure.map((email) => ({ email })),
  { email: unsure[0]!, decision: 'edited' as const },
  ...unsure.slice(1).map((email) => ({ email, decision: 'approved' as const })),
];
const down2 = (value: number) => Math.floor(value * 100 + 1e-9) / 100;

const triage = graph(
  'email triage',
  [
    ['start', 'trigger', { kind: 'email', source: 'inbox' }],
    ['extract', 'extract', { policy: { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: 0.6 } }],
    ['log', 'test.effect'],
  ],
  ['start.event -> extract.event', 'start.event -> log.value'],
);

async function waitingTask(h: Harness, workflowId: string): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const status = await runStatus(h.client, workflowId).catch(() => undefined);
    if (status?.waitingTasks[0]) return status.waitingTasks[0];
    if (status?.status === 'completed') return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${workflowId} neither waited nor completed`);
}

describe('canary runs against the ledger', () => {
  let h: Harness;
  let deps: ControlDeps;
  let workflowId: string;

  beforeAll(async () => {
    h = await startHarness(inject('services'), {
      nodeServices: (db) => Promise.resolve({ ...dbOnlyServices(db), models: createModelRouter({ db, env: {} }) }),
    });
    deps = { db: h.db, temporal: h.client, taskQueue: h.taskQueue, registry: h.registry };
    const stored = await createWorkflow(h.db, { name: 'email triage', graph: triage });
    workflowId = stored.id;
    await publishVersion(h.db, workflowId, { graph: triage, plan: h.compile(triage), publishedBy: 'test' });
    const published = await getVersion(h.db, workflowId, 1);
    for (const [index, email] of pastEmails.entries()) {
      const { event } = email.email;
      const { handle } = await startRun(h.client, {
        taskQueue: h.taskQueue,
        plan: published!.plan,
        workflow: { id: workflowId, version: 1 },
        trigger: { event },
        idempotencyKey: `past-${index}`,
      });
      const taskId = await waitingTask(h, handle.workflowId);
      expect(Boolean(taskId), `${email.email.id} asks a person`).toBe(email.decision !== undefined);
      if (taskId && email.decision === 'approved')
        await decide(h.client, handle.workflowId, { taskId, decision: 'approved', reviewer: 'lena' });
      if (taskId && email.decision === 'edited') {
        const task = await h.db.query<{ proposed: EventValue }>('select proposed from review_tasks where id = $1', [
          taskId,
        ]);
        const proposed = (task.rows[0]!.proposed as unknown as { extraction: Record<string, unknown> }).extraction;
        const value = { extraction: { ...proposed, intent: { label: 'feedback', confidence: 1 } } };
        await decide(h.client, handle.workflowId, { taskId, decision: 'edited', reviewer: 'lena', value });
      }
      await handle.result();
    }
    // Visibility catches up with the finished runs shortly after they complete.
    for (let i = 0; i < 50 && (await listPastRuns(h.client, workflowId, {})).length < pastEmails.length; i++)
      await new Promise((resolve) => setTimeout(resolve, 200));
  }, 180_000);
  afterAll(() => h.close());

  it('counts, per node, changed outputs and matches with what the person approved for a lower threshold', async () => {
    const effectsBefore = await h.db.query<{ n: number }>('select count(*)::int as n from test_effects');
    const tasksBefore = await h.db.query<{ n: number }>('select count(*)::int as n from review_tasks');
    const report = await runCanary(deps, {
      candidate: { kind: 'node-config', workflowId, nodeId: 'extract', config: { policy: { minConfidence: 0.25 } } },
      slice: {},
      createdBy: 'lena',
    });

    expect(report.status).toBe('completed');
    expect(report.summary).toMatchObject({
      label: 'v1+extract',
      baseVersion: 1,
      runs: 7,
      canaryFailed: 0,
      changedOutputs: 1,
      askedHumanBefore: 4,
      asksHumanNow: 0,
      reviewed: 4,
      automatedOnReviewed: 4,
      matchesApproved: 3,
      estimatedFalsePositiveRate: 0.25,
      sideEffectsReused: 7,
      costBeforeUsd: 0,
      costAfterUsd: 0,
    });
    const extract = report.nodes?.find((n) => n.nodeId === 'extract');
    expect(extract).toMatchObject({
      runs: 7,
      reused: 0,
      compared: 7,
      changed: 1,
      askedHumanBefore: 4,
      asksHumanNow: 0,
      reviewed: 4,
      automatedOnReviewed: 4,
      matchesApproved: 3,
      estimatedFalsePositiveRate: 0.25,
      costDeltaUsd: 0,
    });
    expect(extract?.meanLatencyAfterMs).toEqual(expect.any(Number));
    expect(report.nodes?.find((n) => n.nodeId === 'log')).toMatchObject({
      runs: 7,
      reused: 7,
      compared: 0,
      changed: 0,
    });
    const corrected = report.runs?.find((run) => run.nodes.some((n) => n.nodeId === 'extract' && n.changed));
    expect(corrected?.nodes[0]).toMatchObject({ verdict: 'edited', matchesApproved: false, automatedNow: true });

    // Nothing outside the runs happened: no side effect ran, no review task was created.
    const effectsAfter = await h.db.query<{ n: number }>('select count(*)::int as n from test_effects');
    const canaryAttempts = await h.db.query<{ n: number }>(
      `select count(*)::int as n from test_attempts where key like 'canary:%'`,
    );
    const tasksAfter = await h.db.query<{ n: number }>('select count(*)::int as n from review_tasks');
    expect(effectsAfter.rows[0]!.n).toBe(effectsBefore.rows[0]!.n);
    expect(canaryAttempts.rows[0]!.n).toBe(0);
    expect(tasksAfter.rows[0]!.n).toBe(tasksBefore.rows[0]!.n);
    const ledger = await fetchLedger(h.client, report.runs![0]!.canaryRunId!);
    expect(ledger.mode).toBe('canary');
    expect(ledger.entries.find((e) => e.nodeId === 'log')).toMatchObject({ tier: 'recorded', attempt: 0 });
  }, 120_000);

  it('asks a person in no canary: a raised threshold reuses recorded decisions and skips the rest', async () => {
    const tasksBefore = await h.db.query<{ n: number }>('select count(*)::int as n from review_tasks');
    const report = await runCanary(deps, {
      candidate: { kind: 'node-config', workflowId, nodeId: 'extract', config: { policy: { minConfidence: 0.99 } } },
      slice: {},
    });
    expect(report.summary).toMatchObject({
      runs: 7,
      canaryFailed: 0,
      askedHumanBefore: 4,
      // Every person decision is reused, and what the extractor was sure of below 0.99 now asks too
      // (0.99, far above what it reports, so clients other suites store cannot move one across it).
      asksHumanNow: 4 + sure.filter((e) => e.reported < 0.99).length,
      automatedOnReviewed: 0,
    });
    const tasksAfter = await h.db.query<{ n: number }>('select count(*)::int as n from review_tasks');
    expect(tasksAfter.rows[0]!.n).toBe(tasksBefore.rows[0]!.n);
  }, 120_000);

  it('proposes automation after unchanged approvals, canaries the proposal and promotes it only from the report', async () => {
    const metrics = await nodeMetrics(deps, workflowId);
    const extract = metrics.find((m) => m.nodeId === 'extract');
    expect(extract).toMatchObject({
      runs: 7,
      actions: 7,
      automated: 3,
      humanFallbacks: 4,
      costUsd: 0,
      costPerAction: 0,
    });
    expect(extract?.decisions.map((d) => d.decision)).toEqual(['edited', 'approved', 'approved', 'approved']);
    // The confidences the node reported when it ran (the clients other tests store in the shared
    // database can move them a little from what the corpus helper computed without any).
    const recorded = extract!.decisions.map((d) => d.confidence!);
    const approvedConfidences = recorded.slice(1);
    const lowered = down2(Math.min(...approvedConfidences));
    expect(extract?.meanTimeToCorrectionMs).toEqual(expect.any(Number));

    const proposals = await proposePolicyChanges(deps, workflowId, { streak: 3 });
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal).toMatchObject({
      kind: 'allow-automation',
      nodeId: 'extract',
      status: 'open',
      candidate: {
        kind: 'node-config',
        workflowId,
        nodeId: 'extract',
        baseVersion: 1,
        config: { policy: { minConfidence: lowered } },
      },
    });
    expect(proposal!.summary).toBe(
      `extract: a person approved the last 3 proposals unchanged (confidence ${approvedConfidences.join(', ')}); lower minConfidence 0.6 → ${lowered}`,
    );
    await expect(promote(deps, 'canary-does-not-exist', { by: 'lena' })).rejects.toThrow(/does not exist/);

    const report = await canaryProposal(deps, proposal!.id, { createdBy: 'lena' });
    // The corrected email was the least sure: below the lowered threshold it still asks a person.
    const correctedStillAsks = recorded[0]! < lowered;
    expect(report.summary).toMatchObject({
      runs: 7,
      changedOutputs: correctedStillAsks ? 0 : 1,
      askedHumanBefore: 4,
      asksHumanNow: correctedStillAsks ? 1 : 0,
      reviewed: 4,
      automatedOnReviewed: correctedStillAsks ? 3 : 4,
      matchesApproved: 3,
    });
    expect((await listProposals(h.db, { workflowId }))[0]).toMatchObject({ status: 'canaried', reportId: report.id });

    const promoted = await promote(deps, report.id, { by: 'lena' });
    expect(promoted).toMatchObject({ status: 'promoted', promotedBy: 'lena', promotion: { workflowId, version: 2 } });
    const live = await getVersion(h.db, workflowId);
    expect(live?.version).toBe(2);
    expect(live?.plan.nodes.find((n) => n.id === 'extract')?.config).toEqual({
      policy: { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: lowered },
    });
    expect((await listProposals(h.db, { workflowId }))[0]?.status).toBe('promoted');
    await expect(promote(deps, report.id, { by: 'lena' })).rejects.toThrow(/only a completed canary report/);

    // The first report was made against v1: promoting it now would undo v2 unseen.
    const [stale] = (
      await h.db.query<{ id: string }>(
        `select id from control_canary_reports where workflow_id = $1 and status = 'completed' order by created_at limit 1`,
        [workflowId],
      )
    ).rows;
    await expect(promote(deps, stale!.id, { by: 'lena' })).rejects.toThrow(/changed since this report/);
  }, 120_000);
});
