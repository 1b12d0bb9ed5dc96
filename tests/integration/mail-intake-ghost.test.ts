import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunResult } from '../../temporal/workflows/run-types.ts';
import { createToken } from '../../store/tokens.ts';
import { graph } from '../support/graph-builder.ts';
import {
  eventsOf,
  listening,
  mail,
  startIntakeStack,
  waitFor,
  type IntakeStack,
} from '../support/mail/intake-stack.ts';
import { runsOfWorkflow } from '../support/webhook-counting.ts';

// No ghost triggers: the listener belongs to the account, so publishing a workflow wired to it,
// republishing it and deleting it never adds a listener or a session; each message starts one run,
// of the version published when it arrived, and none once the workflow is gone.
describe('mail intake: publish, republish and delete a wired workflow', () => {
  const services = inject('services');
  let stack: IntakeStack;
  let token = '';
  beforeAll(async () => {
    stack = await startIntakeStack(services);
    token = (await createToken(stack.h.db, 'mail intake ghost test')).plaintext;
  });
  afterAll(() => stack?.close());

  const api = async (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const response = await stack.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  };
  const wiredGraph = (accountId: string, tag: string) =>
    graph(
      'On mail',
      [
        ['start', 'trigger', { kind: 'email', source: accountId }],
        ['echo', 'test.echo', { tag }],
      ],
      ['start.event -> echo.value'],
    );

  it('keeps one listener and starts one run per message, of the version published at the time', async () => {
    const accountId = await stack.account('ghost');
    await stack.intake();
    await listening(stack.h, accountId);
    const sessions = () => stack.dovecot.sessions();
    expect(sessions()).toBe(1);

    const created = (await api('POST', '/api/workflows', { name: 'On mail', graph: wiredGraph(accountId, 'v1') })) as {
      workflow: { id: string };
    };
    const workflowId = created.workflow.id;
    await api('POST', `/api/workflows/${workflowId}/publish`, {});
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // The trigger router's one-second cache.
    await stack.dovecot.append(mail('For v1'));
    await runsOfWorkflow(stack.h, workflowId, 1);
    expect(sessions()).toBe(1);

    await api('PUT', `/api/workflows/${workflowId}`, { graph: wiredGraph(accountId, 'v2') });
    await api('POST', `/api/workflows/${workflowId}/publish`, {});
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await stack.dovecot.append(mail('For v2'));
    const { runIds } = await runsOfWorkflow(stack.h, workflowId, 2);
    expect(runIds).toHaveLength(2);
    expect(sessions()).toBe(1);
    const tags = await Promise.all(
      runIds.map(async (runId) => {
        const result = (await stack.h.client.workflow.getHandle(runId).result()) as RunResult;
        const echo = result.outputs.echo as { value: { tag: string; value: { payload: { subject: string } } } };
        return `${echo.value.value.payload.subject} by ${echo.value.tag}`;
      }),
    );
    expect(tags.sort()).toEqual(['For v1 by v1', 'For v2 by v2']);

    await api('DELETE', `/api/workflows/${workflowId}`);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await stack.dovecot.append(mail('After the delete'));
    await waitFor(
      'the third event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 3,
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await runsOfWorkflow(stack.h, workflowId, 2);
    expect(after.runIds).toHaveLength(2);
    expect(sessions()).toBe(1);
    expect((await eventsOf(stack.h, accountId)).map((e) => e.subject)).toEqual([
      'For v1',
      'For v2',
      'After the delete',
    ]);
  }, 240_000);
});
