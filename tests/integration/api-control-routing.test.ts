import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';
import { portIntent } from '../../nodes/extract/to-port.ts';
import { parseInput } from '../../nodes/ingest/parse/index.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graph } from '../support/graph-builder.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';

interface IngestReply {
  eventId: string;
  duplicate: boolean;
  runs: { workflowId: string; runId: string; started: boolean }[];
  routing?: {
    outcome: 'run' | 'triage' | 'dismissed';
    duplicate: boolean;
    runId?: string;
    triageTaskId?: string;
    decision: { ruleId?: string; intent?: string; confidence?: number; workflowId?: string; reason: string };
  };
}

interface ErrorReply {
  errors: { pointer: string; message: string }[];
}

const suffix = randomUUID().slice(0, 8);

// The intent router through the API: rules saved, canaried and promoted over HTTP; events that
// arrive at ingest routed by them (or started by the workflows wired to their source, or sent to
// triage); triage resolved in the review queue; repeated choices suggesting a rule.
describe('control plane routing through the API', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let app: FastifyInstance;
  const wf = { billing: '', changes: '', wired: '' };
  let clientId = '';
  const since = new Date(Date.now() - 1000).toISOString();
  const source = `mail-${suffix}`;
  const customer = { name: 'Greta Olsen', address: `greta-${suffix}@northwind.example` };
  const ruleId = `billing-${suffix}`;
  // The order sheets mix billing words with a request: whatever the classifier makes of them, a rule
  // for that intent with a confidence floor it cannot reach sends them to triage.
  const sheetRuleId = `sheets-${suffix}`;
  let sheetIntent = '';

  let auth: ApiApp['auth'];
  let call: ApiApp['call'];
  const enc = encodeURIComponent;

  const email = (from: { name: string; address: string }, subject: string, text: string, id = randomUUID()) =>
    [
      `From: ${from.name} <${from.address}>`,
      'To: lena@studio.example',
      `Subject: ${subject}`,
      `Message-ID: <${id}@mail.example>`,
      'Date: Mon, 2 Jun 2025 09:00:00 +0200',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
    ].join('\r\n');
  const overdue = () =>
    email(customer, 'Invoice 1043 overdue', 'Hi, invoice 1043 is overdue; please send the payment reminder details.');
  const orderSheet = (week: number) =>
    email(
      customer,
      `Order sheet week ${week}`,
      `Hi Lena,\n\nAttached is our order sheet for week ${week}. Store 12 reports stock value of ${week * 100} EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders`,
    );

  async function ingest(mail: string): Promise<IngestReply> {
    const response = await app.inject({
      method: 'POST',
      url: `/api/ingest/${source}`,
      headers: { ...auth, 'content-type': 'message/rfc822' },
      payload: mail,
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<IngestReply>();
  }

  async function finished(runId: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const response = await call('GET', `/api/runs/${enc(runId)}`);
      const status = response.statusCode === 200 ? response.json<{ run: { status: string } }>().run.status : 'unseen';
      if (status !== 'running' && status !== 'unseen') return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  async function publish(name: string, trigger: Record<string, unknown>): Promise<string> {
    const g = graph(
      name,
      [
        ['start', 'trigger', trigger],
        ['log', 'test.echo', { tag: name }],
      ],
      ['start.event -> log.value'],
    );
    const { workflow } = (await call('POST', '/api/workflows', { name, graph: g })).json<{
      workflow: { id: string };
    }>();
    expect((await call('POST', `/api/workflows/${workflow.id}/publish`, {})).statusCode).toBe(201);
    return workflow.id;
  }

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-control-routing test' });
    ({ h, app, auth, call } = server);
    wf.billing = await publish('billing reminder', { kind: 'manual' });
    wf.changes = await publish('change log', { kind: 'manual' });
    wf.wired = await publish('mailbox log', { kind: 'email', source });
    expect((await call('POST', '/api/webhook-sources', { name: source, kind: 'email' })).statusCode).toBe(201);
    const sheet = await parseInput('email', { content: orderSheet(24) }, { receivedAt: new Date().toISOString() });
    sheetIntent = portIntent(extractEmail(emailInputOfEvent(sheet.draft), { models: loadModels() }).intent.label);
    expect(sheetIntent, 'the order sheet must not read as billing, which has its own rule').not.toBe('billing');
    const created = await call('POST', '/api/clients', { name: `Northwind ${suffix}`, emails: [customer.address] });
    clientId = created.json<{ client: { id: string } }>().client.id;

    // Our rule first, the live rules after it (other suites' rules keep working), through a
    // routing canary on this client's past events (none yet) and its promotion.
    const live = (await call('GET', '/api/routing/rules')).json<{
      ruleSet: { rules: { id: string }[]; default: unknown };
    }>().ruleSet;
    const saved = await call('POST', '/api/routing/rule-sets', {
      rules: [
        { id: ruleId, intent: 'billing', clientId, minConfidence: 0.6, workflowId: wf.billing, version: 1 },
        { id: sheetRuleId, intent: sheetIntent, clientId, minConfidence: 0.99, workflowId: wf.billing, version: 1 },
        ...live.rules.filter((rule) => !rule.id.startsWith('billing-')),
      ],
      default: live.default,
      note: 'api-control-routing',
      createdBy: 'lena',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const draft = saved.json<{ ruleSet: { version: number; status: string; createdBy: string } }>().ruleSet;
    expect(draft).toMatchObject({ status: 'draft', createdBy: 'lena' });
    const canary = await call('POST', '/api/canaries', {
      candidate: { kind: 'rule-set', ruleSetVersion: draft.version },
      slice: { from: since, clientId },
    });
    expect(canary.statusCode, canary.body).toBe(201);
    const report = canary.json<{ id: string; kind: string; status: string; summary: { runs: number } }>();
    expect(report).toMatchObject({ kind: 'routing', status: 'completed', summary: { runs: 0 } });
    const promoted = await call('POST', `/api/canaries/${report.id}/promote`, { by: 'lena' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({
      status: 'promoted',
      promotedBy: 'lena',
      promotion: { ruleSetVersion: draft.version },
    });
    const active = (await call('GET', '/api/routing/rules')).json<{ ruleSet: { version: number; status: string } }>();
    expect(active.ruleSet).toMatchObject({ version: draft.version, status: 'active' });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('routes an ingested event by the live rule, once, with the routing in the run’s ledger', async () => {
    const mail = overdue();
    const first = await ingest(mail);
    expect(first.routing).toMatchObject({
      outcome: 'run',
      duplicate: false,
      decision: { ruleId, intent: 'billing', workflowId: wf.billing },
    });
    expect(first.runs).toEqual([
      { workflowId: wf.billing, runId: `run:${wf.billing}:route:${first.eventId}`, started: true },
    ]);
    expect(await finished(first.runs[0]!.runId)).toBe('completed');
    const ledger = (await call('GET', `/api/runs/${enc(first.runs[0]!.runId)}/ledger`)).json<{
      mode: string;
      routing: Record<string, unknown>;
    }>();
    expect(ledger.mode).toBe('live');
    expect(ledger.routing).toMatchObject({
      ruleId,
      intent: 'billing',
      eventId: first.eventId,
      workflowId: wf.billing,
      version: 1,
      start: { mode: 'foreground', reason: 'foreground workflow: starts now' },
    });
    expect(ledger.routing.confidence).toBeGreaterThanOrEqual(0.6);

    // The same mail again, and the event routed again by hand: nothing new starts.
    const again = await ingest(mail);
    expect(again).toMatchObject({ eventId: first.eventId, duplicate: true, routing: { duplicate: true } });
    expect(again.runs).toEqual([{ workflowId: wf.billing, runId: first.runs[0]!.runId, started: false }]);
    const routed = await call('POST', `/api/events/${first.eventId}/route`);
    expect(routed.statusCode).toBe(200);
    expect(routed.json()).toMatchObject({ duplicate: true, outcome: 'run', runId: first.runs[0]!.runId });
    const count = await h.client.workflow.count(`WorkflowId = '${first.runs[0]!.runId}'`);
    expect(count.count).toBe(1);
  }, 60_000);

  it('starts the workflows wired to the source when no rule takes the event', async () => {
    const stranger = { name: 'Sam Doe', address: `sam-${suffix}@elsewhere.example` };
    const reply = await ingest(
      email(stranger, 'Lunch next week?', 'Hi Lena, are you free for lunch next Tuesday? Sam'),
    );
    expect(reply.routing).toBeUndefined();
    expect(reply.runs).toEqual([{ workflowId: wf.wired, runId: expect.stringMatching(/^run:/), started: true }]);
    expect(reply.runs[0]!.runId).not.toContain(':route:');
    expect(await finished(reply.runs[0]!.runId)).toBe('completed');
    // The rule wins over the wiring: the overdue invoice above went to billing, not to the mailbox log.
    let listed: string[] = [];
    for (let attempt = 0; attempt < 50 && listed.length === 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      listed = (await call('GET', `/api/runs?workflowId=${wf.wired}`))
        .json<{ runs: { runId: string }[] }>()
        .runs.map((run) => run.runId);
    }
    expect(listed).toEqual([reply.runs[0]!.runId]);
  });

  it('sends a low-confidence event to triage, where the operator’s choice starts the run', async () => {
    const reply = await ingest(orderSheet(24));
    expect(reply.runs).toEqual([]);
    expect(reply.routing).toMatchObject({
      outcome: 'triage',
      triageTaskId: `triage:${reply.eventId}`,
      decision: { ruleId: sheetRuleId, intent: sheetIntent },
    });
    const taskId = reply.routing!.triageTaskId!;
    const task = (await call('GET', `/api/reviews/${enc(taskId)}`)).json<{
      task: { kind: string; state: string; proposed: unknown };
    }>().task;
    expect(task).toMatchObject({ kind: 'triage', state: 'pending', proposed: { workflowId: wf.billing, version: 1 } });

    const unknownWorkflow = await call('POST', `/api/reviews/${enc(taskId)}/decision`, {
      decision: 'edited',
      value: { workflowId: `nope-${suffix}` },
    });
    expect(unknownWorkflow.statusCode).toBe(404);
    expect(unknownWorkflow.json<ErrorReply>().errors[0]?.pointer).toBe('/value/workflowId');

    const decided = await call('POST', `/api/reviews/${enc(taskId)}/decision`, {
      decision: 'edited',
      value: { workflowId: wf.changes },
      reviewer: 'lena',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const body = decided.json<{ task: { state: string; reviewer: string }; triage: { runId: string } }>();
    expect(body.task).toMatchObject({ state: 'edited', reviewer: 'lena' });
    expect(body.triage.runId).toBe(`run:${wf.changes}:route:${reply.eventId}`);
    expect(await finished(body.triage.runId)).toBe('completed');
    const ledger = (await call('GET', `/api/runs/${enc(body.triage.runId)}/ledger`)).json<{ routing: unknown }>();
    expect(ledger.routing).toMatchObject({
      triageTaskId: taskId,
      chosenBy: 'lena',
      workflowId: wf.changes,
      intent: sheetIntent,
    });

    const twice = await call('POST', `/api/reviews/${enc(taskId)}/decision`, { decision: 'approved' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorReply>().errors[0]?.pointer).toBe('/params/taskId');

    // Approving takes the proposed workflow; rejecting dismisses the event.
    const approvedEvent = await ingest(orderSheet(30));
    const approved = await call('POST', `/api/reviews/${enc(approvedEvent.routing!.triageTaskId!)}/decision`, {
      decision: 'approved',
    });
    expect(approved.json()).toMatchObject({
      task: { state: 'approved', reviewer: 'operator' },
      triage: { runId: `run:${wf.billing}:route:${approvedEvent.eventId}` },
    });
    const rejectedEvent = await ingest(orderSheet(31));
    const rejected = await call('POST', `/api/reviews/${enc(rejectedEvent.routing!.triageTaskId!)}/decision`, {
      decision: 'rejected',
    });
    const dismissed = rejected.json<{
      task: { state: string };
      triage: { runId?: string; decision: { reason: string } };
    }>();
    expect(dismissed.task.state).toBe('rejected');
    expect(dismissed.triage.runId).toBeUndefined();
    expect(dismissed.triage.decision.reason).toMatch(/^triage: operator dismissed the event/);
    const routings = (await call('GET', `/api/routing/routings?clientId=${clientId}&from=${enc(since)}`)).json<{
      routings: { eventId: string; outcome: string }[];
    }>().routings;
    expect(routings.find((r) => r.eventId === rejectedEvent.eventId)?.outcome).toBe('dismissed');
    expect(routings.find((r) => r.eventId === reply.eventId)?.outcome).toBe('run');
  }, 60_000);

  it('suggests a rule after the same triage choice three times, accepted as a draft', async () => {
    // The last three choices for this intent from this client decide (the ones above went elsewhere).
    let suggestion: { id: string } | undefined;
    const made: boolean[] = [];
    for (const week of [25, 26, 27]) {
      const reply = await ingest(orderSheet(week));
      const decided = await call('POST', `/api/reviews/${enc(reply.routing!.triageTaskId!)}/decision`, {
        decision: 'edited',
        value: { workflowId: wf.changes },
        reviewer: 'lena',
      });
      suggestion = decided.json<{ triage: { suggestion?: { id: string } } }>().triage.suggestion;
      made.push(suggestion !== undefined);
    }
    expect(made).toEqual([false, false, true]);
    const open = (await call('GET', '/api/routing/suggestions?status=open')).json<{
      suggestions: { id: string; text: string; clientId?: string; evidence: unknown[] }[];
    }>().suggestions;
    expect(open.find((s) => s.id === suggestion!.id)).toMatchObject({
      clientId,
      text: `route ${sheetIntent} from client ${clientId} to ${wf.changes}?`,
    });

    const accepted = await call('POST', `/api/routing/suggestions/${suggestion!.id}/accept`, { by: 'lena' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const draft = accepted.json<{ ruleSet: { status: string; rules: Record<string, unknown>[] } }>().ruleSet;
    expect(draft.status).toBe('draft');
    expect(draft.rules[0]).toMatchObject({ intent: sheetIntent, clientId, workflowId: wf.changes });
    const again = await call('POST', `/api/routing/suggestions/${suggestion!.id}/accept`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorReply>().errors[0]?.pointer).toBe('/params/id');
    const missing = await call('POST', `/api/routing/suggestions/suggestion-${suffix}/dismiss`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorReply>().errors[0]?.pointer).toBe('/params/id');
  }, 60_000);

  it('refuses bad rule sets and unknown ids naming the field', async () => {
    const rule = { id: 'r1', intent: 'billing', minConfidence: 0.5, workflowId: wf.billing, version: 1 };
    const cases: { body: unknown; status: number; pointer: string }[] = [
      {
        body: { rules: [{ ...rule, minConfidence: 2 }], default: { triage: true } },
        status: 400,
        pointer: '/rules/0/minConfidence',
      },
      { body: { rules: [rule] }, status: 400, pointer: '/default' },
      {
        body: {
          rules: [rule, { ...rule, version: 99 }].map((r, i) => ({ ...r, id: `r${i}` })),
          default: { triage: true },
        },
        status: 400,
        pointer: '/rules/1/version',
      },
      { body: { rules: [rule, rule], default: { triage: true } }, status: 400, pointer: '/rules/1/id' },
      {
        body: { rules: [{ ...rule, inputMapping: '{ "event": ' }], default: { triage: true } },
        status: 400,
        pointer: '/rules/0/inputMapping',
      },
      {
        body: { rules: [], default: { workflowId: wf.billing, version: 7 } },
        status: 400,
        pointer: '/default/version',
      },
    ];
    const before = (await call('GET', '/api/routing/rule-sets?limit=1')).json<{ ruleSets: { version: number }[] }>();
    for (const c of cases) {
      const response = await call('POST', '/api/routing/rule-sets', c.body);
      expect({ status: response.statusCode, pointer: response.json<ErrorReply>().errors[0]?.pointer }).toEqual({
        status: c.status,
        pointer: c.pointer,
      });
    }
    const after = (await call('GET', '/api/routing/rule-sets?limit=1')).json<{ ruleSets: { version: number }[] }>();
    expect(after.ruleSets[0]?.version).toBe(before.ruleSets[0]?.version);

    const missingSet = await call('GET', '/api/routing/rule-sets/999999');
    expect(missingSet.statusCode).toBe(404);
    expect(missingSet.json<ErrorReply>().errors[0]?.pointer).toBe('/params/version');
    const missingEvent = await call('POST', `/api/events/nope-${suffix}/route`);
    expect(missingEvent.statusCode).toBe(404);
    expect(missingEvent.json<ErrorReply>().errors[0]?.pointer).toBe('/params/id');
    const badQuery = await call('GET', '/api/routing/routings?from=yesterday');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json<ErrorReply>().errors[0]?.pointer).toBe('/query/from');
    const badStatus = await call('GET', '/api/routing/suggestions?status=maybe');
    expect(badStatus.json<ErrorReply>().errors[0]?.pointer).toBe('/query/status');
  });
});
