// The data the control plane pages show, made through the HTTP API of a running product: a
// published workflow (transform → human review), routing rules made live through a canary,
// ingested emails routed to runs (reviewed and approved) and to triage, and two canaries of a
// node change.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Product } from './product.ts';

export const enc = encodeURIComponent;

export interface Report {
  id: string;
  status: string;
  summary?: { runs: number; changedOutputs: number; baseVersion?: number };
  nodes?: { nodeId: string; changed: number; automatedOnReviewed: number; matchesApproved: number }[];
}
export interface RuleSet {
  version: number;
  status: string;
  rules: { id: string; workflowId: string; version: number; minConfidence: number }[];
  default: unknown;
}
export interface IngestReply {
  eventId: string;
  runs: { runId: string }[];
  routing?: { outcome: string; runId?: string; triageTaskId?: string; decision: { confidence?: number } };
}
export interface Agent {
  id: string;
  budget: { perActionUsd: number; perMonthUsd: number; latencyMs: number; onOverBudget: string };
}

const suffix = randomUUID().slice(0, 8);
const source = `mail-${suffix}`;
const ruleId = `e2e-billing-${suffix}`;
const customer = { name: 'Greta Olsen', address: `greta-${suffix}@northwind.example` };
const invoices = [1043, 1044, 1045];
/** The node change the first canary tries: invoice 1043 gets a call, the others a reminder (as approved). */
const callFor1043 = '$contains(payload.subject, "1043") ? "call" : "remind"';
const since = new Date(Date.now() - 60_000).toISOString();

/** The product's API as these tests call it, failing loudly with what it answered. */
export function controlPlaneClient(product: Product) {
  async function call<T>(method: string, route: string, body?: unknown, expected?: number): Promise<T> {
    const reply = await product.api<T>(method, `/api${route}`, body);
    if (expected !== undefined && reply.status !== expected)
      throw new Error(`${method} ${route} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for ${what}\n${product.logs()}`);
  }

  function email(subject: string, text: string): string {
    return [
      `From: ${customer.name} <${customer.address}>`,
      'To: lena@studio.example',
      `Subject: ${subject}`,
      `Message-ID: <${randomUUID()}@mail.example>`,
      'Date: Mon, 2 Jun 2025 09:00:00 +0200',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
    ].join('\r\n');
  }

  /** An operator's delivery (bearer token instead of a signature), as `trellis ingest` sends it. */
  async function ingest(mail: string): Promise<IngestReply> {
    const response = await fetch(`${product.baseUrl}/api/ingest/${source}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${product.token}`, 'content-type': 'message/rfc822' },
      body: mail,
    });
    const body = (await response.json()) as IngestReply;
    if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  }

  const runStatus = async (runId: string) =>
    (await call<{ run: { status: string } }>('GET', `/runs/${enc(runId)}`).catch(() => undefined))?.run?.status;

  return { call, until, email, ingest, runStatus };
}

export interface ControlPlaneData {
  suffix: string;
  ruleId: string;
  workflowId: string;
  workflowName: string;
  clientId: string;
  routedRuns: string[];
  triageEvent: string;
  /** The classifier's confidence for the order sheet, as the routings table should show it. */
  triageConfidence: string;
  reports: { change: string; stale: string };
}

/** The workflow, routing rules made live through a canary, routed emails (runs reviewed), a triage, two canaries. */
export async function makeControlPlaneData(product: Product): Promise<ControlPlaneData> {
  const { call, until, email, ingest, runStatus } = controlPlaneClient(product);
  const routedRuns: string[] = [];
  const workflowName = `E2E billing ${suffix}`;
  const graph = {
    name: workflowName,
    nodes: [
      { id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } },
      { id: 'action', type: 'transform', version: 1, config: { expression: '"remind"' }, position: { x: 280, y: 0 } },
      {
        id: 'check',
        type: 'human-review',
        version: 1,
        config: { instructions: 'Check the action.', timeoutMinutes: 600, onTimeout: 'escalate' },
        position: { x: 560, y: 0 },
      },
    ],
    edges: [
      { id: 'a', source: 'start', sourcePort: 'event', target: 'action', targetPort: 'value' },
      { id: 'b', source: 'action', sourcePort: 'value', target: 'check', targetPort: 'value' },
    ],
  };
  const workflowId = (
    await call<{ workflow: { id: string } }>('POST', '/workflows', { name: workflowName, graph }, 201)
  ).workflow.id;
  await call('POST', `/workflows/${enc(workflowId)}/publish`, {}, 201);
  await call('POST', '/webhook-sources', { name: source, kind: 'email' }, 201);
  const clientId = (
    await call<{ client: { id: string } }>(
      'POST',
      '/clients',
      { name: `Northwind ${suffix}`, emails: [customer.address] },
      201,
    )
  ).client.id;

  // Our rule first, the live rules after it; live only through a canary and its promotion.
  const live = (await call<{ ruleSet: RuleSet }>('GET', '/routing/rules')).ruleSet;
  const draft = (
    await call<{ ruleSet: RuleSet }>(
      'POST',
      '/routing/rule-sets',
      {
        rules: [
          { id: ruleId, intent: 'billing', clientId, minConfidence: 0.6, workflowId, version: 1 },
          // Rules earlier runs of this test left behind are dropped.
          ...live.rules.filter((rule) => !rule.id.startsWith('e2e-billing-')),
        ],
        default: live.default,
        note: `e2e ${suffix}`,
        createdBy: 'e2e',
      },
      201,
    )
  ).ruleSet;
  const rulesCanary = await call<Report>(
    'POST',
    '/canaries',
    { candidate: { kind: 'rule-set', ruleSetVersion: draft.version }, slice: { from: since, clientId } },
    201,
  );
  await call('POST', `/canaries/${rulesCanary.id}/promote`, { by: 'e2e' }, 200);

  for (const invoice of invoices) {
    const reply = await ingest(
      email(
        `Invoice ${invoice} overdue`,
        `Hi, invoice ${invoice} is overdue; please send the payment reminder details.`,
      ),
    );
    expect(reply.routing?.outcome, JSON.stringify(reply)).toBe('run');
    routedRuns.push(reply.routing!.runId!);
  }
  const sheet = await ingest(
    email(
      'Order sheet week 24',
      'Hi Lena,\n\nAttached is our order sheet for week 24. Store 12 reports stock value of 2400 EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders',
    ),
  );
  expect(sheet.routing?.outcome, JSON.stringify(sheet)).toBe('triage');
  const triageEvent = sheet.eventId;
  const triageConfidence = `${Math.round((sheet.routing?.decision.confidence ?? 0) * 100)}%`;

  // A person approves each run's proposed action unchanged.
  for (const runId of routedRuns) {
    const task = await until(`the review of ${runId}`, async () => {
      const { tasks } = await call<{ tasks: { id: string }[] }>(
        'GET',
        `/reviews?state=pending&workflowId=${enc(runId)}`,
      );
      return tasks[0];
    });
    await call('POST', `/reviews/${enc(task.id)}/decision`, { decision: 'approved', reviewer: 'lena' }, 200);
  }
  for (const runId of routedRuns)
    await until(`${runId} to complete`, async () => ((await runStatus(runId)) === 'completed' ? true : undefined));
  // Canaries and the advisor find past runs through Temporal's visibility, which lags a little.
  await until('the runs to be listed', async () => {
    const { runs } = await call<{ runs: unknown[] }>('GET', `/runs?workflowId=${enc(workflowId)}&limit=20`);
    return runs.length >= routedRuns.length ? true : undefined;
  });

  const change = await call<Report>(
    'POST',
    '/canaries',
    {
      candidate: { kind: 'node-config', workflowId, nodeId: 'action', config: { expression: callFor1043 } },
      slice: { from: since },
      createdBy: 'lena',
    },
    201,
  );
  expect(change).toMatchObject({ status: 'completed', summary: { runs: 3, changedOutputs: 1, baseVersion: 1 } });

  const stale = await call<Report>(
    'POST',
    '/canaries',
    {
      candidate: { kind: 'node-config', workflowId, nodeId: 'action', config: { expression: '"call"' } },
      slice: { from: since },
      createdBy: 'lena',
    },
    201,
  );
  expect(stale.status).toBe('completed');

  return {
    suffix,
    ruleId,
    workflowId,
    workflowName,
    clientId,
    routedRuns,
    triageEvent,
    triageConfidence,
    reports: { change: change.id, stale: stale.id },
  };
}
