import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MessageSink } from '../../mail/intake/catch-up.ts';
import { mailSinkOf } from '../../server/lib/mail-intake.ts';
import {
  eventsOf,
  fastListener,
  keyOfRun,
  listening,
  mail,
  startIntakeStack,
  waitFor,
  type IntakeStack,
} from '../support/mail/intake-stack.ts';
import { runsOfWorkflow } from '../support/webhook-counting.ts';

type RunResult = Parameters<typeof keyOfRun>[0];

// The intake stores each message's event first and routes it behind (mail/intake/routing-pump.ts):
// a process that dies between the two leaves the rows owed, and the next holder of the folder's
// lease routes them, once each; an event that cannot be routed is passed over with its reason,
// and the rest of the folder goes on.
describe('mail intake: routing follows storing', () => {
  const services = inject('services');
  let stack: IntakeStack;
  beforeAll(async () => {
    stack = await startIntakeStack(services);
  });
  afterAll(() => stack?.close());

  const owed = async (accountId: string) =>
    (
      await stack.h.db.query<{ uid: string; dispatched_at: Date | null; dispatch_error: string | null }>(
        `select uid, dispatched_at, dispatch_error from mail_messages where account_id = $1 order by uid`,
        [accountId],
      )
    ).rows;

  it('routes what a stopped process stored but never routed, once each', { timeout: 180_000 }, async () => {
    const accountId = await stack.account('route-later');
    const workflowId = await stack.wire(accountId);
    const real = mailSinkOf(stack.app);
    // A process that stores and then dies before routing: every routing attempt fails.
    const dying: MessageSink = {
      store: real.store,
      route: () => Promise.reject(new Error('the process died before routing')),
    };
    await stack.intake({
      sink: dying,
      listener: { ...fastListener, routing: { maxAttempts: 1_000, retryMs: 50 } },
    });
    await listening(stack.h, accountId);
    await stack.dovecot.append(mail('Stored, not routed 1'));
    await stack.dovecot.append(mail('Stored, not routed 2'));
    const events = await waitFor(
      'two stored events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 2,
    );
    const before = await owed(accountId);
    expect(before.map((row) => row.dispatched_at)).toEqual([null, null]);
    expect((await stack.h.client.workflow.count(`TrellisWorkflowId = '${workflowId}'`)).count).toBe(0);
    await stack.stopIntakes();

    await stack.intake();
    const { runIds, completed } = await runsOfWorkflow(stack.h, workflowId, 2);
    expect(completed).toBe(2);
    expect(runIds).toHaveLength(2);
    const keys = await Promise.all(
      runIds.map(async (runId) => keyOfRun((await stack.h.client.workflow.getHandle(runId).result()) as RunResult)),
    );
    expect(keys.sort()).toEqual(events.map((e) => e.idempotencyKey).sort());
    const after = await waitFor(
      'both rows marked routed',
      () => owed(accountId),
      (rows) => rows.every((row) => row.dispatched_at !== null),
    );
    expect(after.map((row) => row.dispatch_error)).toEqual([null, null]);
    await stack.stopIntakes();
  });

  it('passes over an event that cannot be routed, says why, and routes the rest', { timeout: 180_000 }, async () => {
    const accountId = await stack.account('route-fails');
    const workflowId = await stack.wire(accountId);
    const real = mailSinkOf(stack.app);
    let poisoned: string | undefined;
    const sink: MessageSink = {
      async store(message) {
        const stored = await real.store(message);
        poisoned ??= stored.eventId; // The first message's event cannot be routed.
        return stored;
      },
      route: (eventId, account) =>
        eventId === poisoned ? Promise.reject(new Error('the rule set is unreadable')) : real.route(eventId, account),
    };
    await stack.intake({ sink, listener: { ...fastListener, routing: { maxAttempts: 2, retryMs: 50 } } });
    await listening(stack.h, accountId);
    await stack.dovecot.append(mail('Cannot be routed'));
    await stack.dovecot.append(mail('Routed after it'));
    const { completed, runIds } = await runsOfWorkflow(stack.h, workflowId, 1);
    expect(completed).toBe(1);
    expect(runIds).toHaveLength(1);
    const rows = await waitFor(
      'both rows settled',
      () => owed(accountId),
      (r) => r.length === 2 && r.every((row) => row.dispatched_at !== null),
    );
    expect(rows[0]!.dispatch_error).toBe('the rule set is unreadable');
    expect(rows[1]!.dispatch_error).toBeNull();
    const folder = await stack.h.db.query<{ last_error: string | null }>(
      `select last_error from mail_folder_state where account_id = $1 and folder = 'INBOX'`,
      [accountId],
    );
    expect(folder.rows[0]?.last_error).toContain(`event ${poisoned} (UID`);
    expect(folder.rows[0]?.last_error).toContain('could not be routed after 2 tries');
    await stack.stopIntakes();
  });
});
