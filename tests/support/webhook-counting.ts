// A signed webhook source wired to a published workflow that only reads the event's idempotency
// key: what the ingest load and fault tests count runs with, one run per key expected.
import { publishWorkflow } from '../../server/lib/publish.ts';
import type { Keyring } from '../../security/keyring.ts';
import { createWebhookSource } from '../../store/webhook-sources.ts';
import { createWorkflow } from '../../store/workflows.ts';
import { graph } from './graph-builder.ts';
import type { Harness } from './interpreter-harness.ts';

/** The source's secret is sealed with `keyring`: the keyring of the server that will verify its deliveries. */
export async function countingWebhookWorkflow(
  h: Harness,
  keyring: Keyring,
  source: string,
  name: string,
): Promise<{ secret: string; workflowId: string }> {
  const created = await createWebhookSource(h.db, keyring, {
    name: source,
    kind: 'webhook',
    rateLimitPerMinute: 100_000,
  });
  const secret = created!.secret;
  const workflow = await createWorkflow(h.db, {
    name,
    graph: graph(
      name,
      [
        ['start', 'trigger', { kind: 'webhook', source }],
        ['key', 'transform', { expression: 'idempotencyKey' }],
      ],
      ['start.event -> key.value'],
    ),
  });
  await publishWorkflow(h.db, () => Promise.resolve(h.client), h.registry, {
    workflowId: workflow.id,
    publishedBy: 'test',
    taskQueue: h.taskQueue,
  });
  return { secret, workflowId: workflow.id };
}

/** Waits (up to two minutes) for `expected` completed runs of the workflow; returns every run's id. */
export async function runsOfWorkflow(
  h: Harness,
  workflowId: string,
  expected: number,
): Promise<{ runIds: string[]; completed: number }> {
  const query = `TrellisWorkflowId = '${workflowId}'`;
  const deadline = Date.now() + 120_000;
  let completed = 0;
  while (Date.now() < deadline) {
    completed = (await h.client.workflow.count(`${query} AND ExecutionStatus = 'Completed'`)).count;
    if (completed >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const runIds: string[] = [];
  for await (const run of h.client.workflow.list({ query })) runIds.push(run.workflowId);
  return { runIds, completed };
}
