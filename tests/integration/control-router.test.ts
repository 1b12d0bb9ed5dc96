import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// Through the control plane's public surface, as the API calls it.
import {
  acceptSuggestion,
  activeRuleSet,
  listSuggestions,
  promote,
  resolveTriage,
  routeEvent,
  runCanary,
  saveRuleSet,
  setRunPolicy,
  syncBackgroundSchedule,
  type ControlDeps,
  type RuleSetBody,
} from '../../control/index.ts';
import { backgroundScheduleId } from '../../control/policy/background-schedule.ts';
import type { Event } from '../../schemas/event.ts';
import { createClient } from '../../store/clients.ts';
import { recordEvent } from '../../store/events.ts';
import { getReviewTask } from '../../store/review-tasks.ts';
import { createWorkflow, getVersion, publishVersion } from '../../store/workflows.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { graph } from '../support/graph-builder.ts';
import { startHarness, type Harness } from '../support/interpreter-harness.ts';

const flow = (name: string) =>
  graph(
    name,
    [
      ['start', 'trigger', { kind: 'email', source: 'inbox' }],
      ['log', 'test.echo', { tag: name }],
    ],
    ['start.event -> log.value'],
  );

const email = (from: { name: string; address: string }, subject: string, text: string) => ({
  type: 'email.received',
  actor: { kind: 'person' as const, ...from },
  source: { kind: 'email' as const, uri: `mid:${randomUUID()}@mail.example`, version: '1' },
  occurredAt: '2025-06-02T09:00:00+02:00',
  confidence: 1,
  payload: { subject, text },
  metadata: {},
});

const greta = { name: 'Greta Olsen', address: 'greta@northwind.example' };
const orderSheet = (week: number) =>
  email(
    greta,
    `Order sheet week ${week}`,
    `Hi Lena,\n\nAttached is our order sheet for week ${week}. Store 12 reports stock value of ${week * 100} EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders`,
  );

async function waitForVisibility(h: Harness, query: string, count: number): Promise<number> {
  let found = 0;
  for (let i = 0; i < 50; i++) {
    found = 0;
    for await (const _ of h.client.workflow.list({ query })) found += 1;
    if (found >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return found;
}

describe('intent router', () => {
  let h: Harness;
  let deps: ControlDeps;
  const wf: Record<'billing' | 'leads' | 'changes', string> = { billing: '', leads: '', changes: '' };
  let northwind: string;
  const since = new Date().toISOString();

  const store = async (draft: ReturnType<typeof email>): Promise<Event> =>
    (await recordEvent(h.db, draft, { idempotencyKey: `router-test:${randomUUID()}` })).event;

  beforeAll(async () => {
    h = await startHarness(inject('services'));
    deps = { db: h.db, temporal: h.client, taskQueue: h.taskQueue, registry: h.registry };
    for (const [key, name] of [
      ['billing', 'billing-reminder'],
      ['leads', 'lead-intake'],
      ['changes', 'change-log'],
    ] as const) {
      const created = await createWorkflow(h.db, { name, graph: flow(name) });
      await publishVersion(h.db, created.id, { graph: flow(name), plan: h.compile(flow(name)), publishedBy: 'test' });
      wf[key] = created.id;
    }
    northwind = (await createClient(h.db, { name: 'Northwind Traders', emails: [greta.address] })).id;
    await createClient(h.db, { name: 'Harbor Coffee', emails: ['ops@harbor.example'] });
    const rules: RuleSetBody = {
      rules: [
        { id: 'billing', intent: 'billing', minConfidence: 0.7, workflowId: wf.billing, version: 1 },
        {
          id: 'leads',
          intent: 'lead',
          sourceKind: 'email',
          minConfidence: 0.6,
          workflowId: wf.leads,
          version: 1,
          inputMapping: '{ "event": $, "data": { "lead": actor.name } }',
        },
      ],
      default: { triage: true },
    };
    // Even the first rule set goes live only through a (here empty) routing canary.
    const draft = await saveRuleSet(h.db, rules, { createdBy: 'lena' });
    const report = await runCanary(deps, {
      candidate: { kind: 'rule-set', ruleSetVersion: draft.version },
      slice: { from: since },
    });
    await promote(deps, report.id, { by: 'lena' });
    expect((await activeRuleSet(h.db)).version).toBe(draft.version);
  }, 120_000);
  afterAll(() => h.close());

  it('routes a table of events to their workflows, and the rest to triage', async () => {
    const cases = [
      {
        name: 'an invoice question',
        draft: email(
          { name: 'Ops', address: 'ops@harbor.example' },
          'Invoice 1042',
          'Hi Lena, could you reissue invoice 1042 with our PO number 4711? Thanks',
        ),
        expect: { outcome: 'run', workflow: wf.billing, ruleId: 'billing', intent: 'billing' },
      },
      {
        name: 'a new lead',
        draft: email(
          { name: 'Marisol Vega', address: 'marisol@sweetcrumb.example' },
          'Website redesign for our bakery?',
          'Hi Lena,\n\nWe are looking for a redesign of our bakery website. Our budget is around $6,000.\n\nCould you send over a rough proposal by Friday?\n\nThanks,\nMarisol Vega',
        ),
        expect: { outcome: 'run', workflow: wf.leads, ruleId: 'leads', intent: 'lead' },
      },
      {
        // Billing words and a request to update numbers: the classifier is unsure, so triage.
        name: 'an order sheet (unsure)',
        draft: orderSheet(23),
        expect: { outcome: 'triage', intent: 'change-request' },
      },
      {
        name: 'spam',
        draft: email(
          { name: 'SEO Team', address: 'x@seo-rank.example' },
          'Guaranteed first page of Google',
          'Dear website owner, we guarantee 1st page of google with our dofollow backlinks. Act now, limited time!',
        ),
        expect: { outcome: 'triage', intent: 'spam' },
      },
    ] as const;
    for (const c of cases) {
      const event = await store(c.draft);
      const routed = await routeEvent(deps, event);
      expect({ case: c.name, outcome: routed.outcome, intent: routed.decision.intent }).toEqual({
        case: c.name,
        outcome: c.expect.outcome,
        intent: c.expect.intent,
      });
      if ('ruleId' in c.expect) expect(routed.decision.ruleId).toBe(c.expect.ruleId);
      if (c.expect.outcome === 'run') {
        expect(routed.runId).toBe(`run:${c.expect.workflow}:route:${event.id}`);
        const result = (await h.client.workflow.getHandle(routed.runId!).result()) as {
          outputs: Record<string, unknown>;
        };
        expect(result.outputs.log).toBeDefined();
        const ledger = await fetchLedger(h.client, routed.runId!);
        // The routing decision is part of the run it started.
        expect(ledger.routing).toMatchObject({
          ruleId: c.expect.ruleId,
          intent: c.expect.intent,
          confidence: routed.decision.confidence,
          workflowId: c.expect.workflow,
          version: 1,
          eventId: event.id,
          start: { mode: 'foreground', reason: 'foreground workflow: starts now' },
        });
        if (c.expect.workflow === wf.leads) expect(ledger.trigger.data).toEqual({ lead: 'Marisol Vega' });
      } else {
        const task = await getReviewTask(h.db, routed.triageTaskId!);
        expect(task).toMatchObject({
          kind: 'triage',
          state: 'pending',
          context: { intent: { label: c.expect.intent } },
        });
        expect(task?.reason).toBe(routed.decision.reason);
      }
    }
  }, 120_000);

  it('routes a duplicate event once', async () => {
    const event = await store(
      email(
        { name: 'Ops', address: 'ops@harbor.example' },
        'Invoice 1043 overdue',
        'Hi, invoice 1043 is overdue; please send the payment reminder details.',
      ),
    );
    const [first, second] = await Promise.all([routeEvent(deps, event), routeEvent(deps, event)]);
    const third = await routeEvent(deps, event);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(third).toMatchObject({ duplicate: true, outcome: 'run', runId: first.runId });
    expect(second.runId).toBe(first.runId);
    const rows = await h.db.query<{ n: number }>(
      'select count(*)::int as n from control_routings where event_id = $1',
      [event.id],
    );
    expect(rows.rows[0]!.n).toBe(1);
    const runs = await waitForVisibility(h, `WorkflowId = '${first.runId}'`, 1);
    expect(runs).toBe(1);
  }, 60_000);

  it('turns a repeated triage choice into a suggested rule that goes live through a canary', async () => {
    const resolutions = [];
    for (const week of [24, 25, 26]) {
      const routed = await routeEvent(deps, await store(orderSheet(week)));
      expect(routed).toMatchObject({ outcome: 'triage', decision: { intent: 'change-request' } });
      resolutions.push(await resolveTriage(deps, routed.triageTaskId!, { workflowId: wf.changes, reviewer: 'lena' }));
    }
    // Week 23 from the first test is still waiting; the streak is 24, 25, 26.
    expect(resolutions.map((r) => r.suggestion !== undefined)).toEqual([false, false, true]);
    const run = await fetchLedger(h.client, resolutions[0]!.runId!);
    expect(run.routing).toMatchObject({
      chosenBy: 'lena',
      triageTaskId: resolutions[0]!.taskId,
      workflowId: wf.changes,
      intent: 'change-request',
    });
    expect((await getReviewTask(h.db, resolutions[0]!.taskId))?.state).toBe('edited');

    const [suggestion] = await listSuggestions(h.db, { status: 'open' });
    expect(suggestion).toMatchObject({
      intent: 'change-request',
      clientId: northwind,
      workflowId: wf.changes,
      version: 1,
      minConfidence: expect.any(Number),
      text: `route change-request from client ${northwind} to ${wf.changes}?`,
    });
    expect(suggestion!.evidence).toHaveLength(3);

    const draft = await acceptSuggestion(h.db, suggestion!.id, 'lena');
    expect(draft.status).toBe('draft');
    expect(draft.rules[0]).toMatchObject({
      intent: 'change-request',
      clientId: northwind,
      workflowId: wf.changes,
      minConfidence: suggestion!.minConfidence,
    });
    // Not live yet: the next order sheet still goes to triage.
    expect((await routeEvent(deps, await store(orderSheet(27)))).outcome).toBe('triage');

    const report = await runCanary(deps, {
      candidate: { kind: 'rule-set', ruleSetVersion: draft.version },
      slice: { from: since, clientId: northwind },
    });
    expect(report.kind).toBe('routing');
    // Six Northwind events: sheets 23 and 27 waiting in triage, 24–26 sent to change-log by a person.
    expect(report.summary).toMatchObject({
      runs: 5,
      changedOutputs: 2,
      askedHumanBefore: 5,
      asksHumanNow: 0,
      reviewed: 3,
      automatedOnReviewed: 3,
      matchesApproved: 3,
      estimatedFalsePositiveRate: 0,
    });
    await promote(deps, report.id, { by: 'lena' });
    expect((await activeRuleSet(h.db)).version).toBe(draft.version);

    const direct = await routeEvent(deps, await store(orderSheet(28)));
    expect(direct).toMatchObject({ outcome: 'run', decision: { ruleId: draft.rules[0]!.id, workflowId: wf.changes } });
    expect((await listSuggestions(h.db, { status: 'open' })).length).toBe(0);
  }, 120_000);

  it('starts a background workflow in its window, and says in the run when and why it waited', async () => {
    const opens = new Date(Date.now() + 2 * 3_600_000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const window = { start: hhmm(opens), end: hhmm(new Date(opens.getTime() + 3_600_000)) };
    await setRunPolicy(h.db, wf.leads, { mode: 'background', window }, 'lena');
    const event = await store(
      email(
        { name: 'Ada Byron', address: 'ada@analytical.example' },
        'New website project',
        'Hi Lena, we are looking for a designer for a new website. What do you charge? Our budget is $8,000.',
      ),
    );
    const routed = await routeEvent(deps, event);
    expect(routed.outcome).toBe('run');
    const expected = new Date(opens);
    expected.setUTCSeconds(0, 0);
    expect(routed.decision.start).toMatchObject({
      mode: 'background',
      waitedUntil: expected.toISOString(),
      reason: `background workflow: waits for its window ${window.start}–${window.end} UTC`,
    });
    const ledger = await fetchLedger(h.client, routed.runId!);
    expect(ledger.routing?.start?.waitedUntil).toBe(expected.toISOString());
    expect(ledger.entries.find((e) => e.nodeId === 'log')?.status).toBe('pending');
    const description = await h.client.workflow.getHandle(routed.runId!).describe();
    expect(description.status.name).toBe('RUNNING');
    await h.client.workflow.getHandle(routed.runId!).terminate('test done');

    // Batch runs of a background workflow are started by a Temporal Schedule when the window opens.
    const published = await getVersion(h.db, wf.leads, 1);
    const policy = { mode: 'background' as const, window: { start: '22:00', end: '06:00', days: [1, 2, 3, 4, 5] } };
    expect(
      await syncBackgroundSchedule(h.client, {
        workflow: { id: wf.leads, version: 1 },
        plan: published!.plan,
        policy,
        taskQueue: h.taskQueue,
      }),
    ).toBe('created');
    const schedule = h.client.schedule.getHandle(backgroundScheduleId(wf.leads));
    const described = await schedule.describe();
    for (const next of described.info.nextActionTimes) {
      expect(next.toISOString().slice(11, 16)).toBe('22:00');
      expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());
    }
    await schedule.trigger();
    let started: string | undefined;
    for (let i = 0; i < 50 && !started; i++) {
      for await (const run of h.client.workflow.list({
        query: `TemporalScheduledById = '${backgroundScheduleId(wf.leads)}'`,
      }))
        started = run.workflowId;
      if (!started) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(started).toBeDefined();
    await h.client.workflow.getHandle(started!).result();
    const batch = await fetchLedger(h.client, started!);
    expect(batch.routing?.start).toEqual({
      mode: 'background',
      reason: `started by the Temporal Schedule ${backgroundScheduleId(wf.leads)} when the window 22:00–06:00 UTC on Mon, Tue, Wed, Thu, Fri opened`,
    });
    expect(
      await syncBackgroundSchedule(h.client, {
        workflow: { id: wf.leads, version: 1 },
        plan: published!.plan,
        policy: { mode: 'foreground' },
        taskQueue: h.taskQueue,
      }),
    ).toBe('deleted');
  }, 120_000);
});
