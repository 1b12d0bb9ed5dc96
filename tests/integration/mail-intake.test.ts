import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { attachMailIntake } from '../../server/lib/mail-intake.ts';
import { createToken } from '../../store/tokens.ts';
import type { RunResult } from '../../temporal/workflows/run-types.ts';
import {
  eventsOf,
  keyOfRun,
  listening,
  mail,
  startIntakeStack,
  waitFor,
  type IntakeStack,
} from '../support/mail/intake-stack.ts';
import { runsOfWorkflow } from '../support/webhook-counting.ts';

// Mail APPENDed to a watched folder of real Dovecot becomes exactly one event and one run of the
// workflow wired to the account; two at once stay two, each with its own run.
describe('mail intake: a message becomes one event and one run', () => {
  const services = inject('services');
  let stack: IntakeStack;
  let accountId = '';
  let workflowId = '';
  beforeAll(async () => {
    stack = await startIntakeStack(services);
    accountId = await stack.account('inbox');
    workflowId = await stack.wire(accountId);
    attachMailIntake(stack.app, await stack.intake());
    await listening(stack.h, accountId);
  });
  afterAll(() => stack?.close());

  it(
    'takes an appended message once, starts the wired workflow once, and leaves the mail unread',
    { timeout: 180_000 },
    async () => {
      const uid = await stack.dovecot.append(mail('Quote for a logo'));
      const events = await waitFor(
        'one event',
        () => eventsOf(stack.h, accountId),
        (e) => e.length >= 1,
      );
      expect(events.map((e) => e.subject)).toEqual(['Quote for a logo']);
      const { runIds, completed } = await runsOfWorkflow(stack.h, workflowId, 1);
      expect(completed).toBe(1);
      expect(runIds).toHaveLength(1);
      const result = (await stack.h.client.workflow.getHandle(runIds[0]!).result()) as RunResult;
      expect(keyOfRun(result)).toBe(events[0]!.idempotencyKey);
      const claim = await stack.h.db.query<{ status: string; event_id: string }>(
        'select status, event_id from mail_messages where account_id = $1 and uid = $2',
        [accountId, uid],
      );
      expect(claim.rows).toEqual([{ status: 'delivered', event_id: events[0]!.id }]);
      // Read-only: the listener EXAMINEs the folder and never sets \Seen.
      const [stored] = (await stack.dovecot.messages()).filter((m) => m.uid === uid);
      expect(stored?.flags).not.toContain('\\Seen');
      const state = await stack.h.db.query<{ imap_state: string }>(
        'select imap_state from mail_accounts where id = $1',
        [accountId],
      );
      expect(state.rows[0]?.imap_state).toBe('ok');
    },
  );

  it(
    'keeps two messages appended in the same second apart: two events, two runs, each with its own event',
    { timeout: 180_000 },
    async () => {
      await Promise.all([stack.dovecot.append(mail('Twin A')), stack.dovecot.append(mail('Twin B'))]);
      const events = await waitFor(
        'three events',
        () => eventsOf(stack.h, accountId),
        (e) => e.length >= 3,
      );
      expect(events.map((e) => e.subject).sort()).toEqual(['Quote for a logo', 'Twin A', 'Twin B']);
      const { runIds, completed } = await runsOfWorkflow(stack.h, workflowId, 3);
      expect(completed).toBe(3);
      expect(runIds).toHaveLength(3);
      const keys = await Promise.all(
        runIds.map(async (runId) => {
          const result = (await stack.h.client.workflow.getHandle(runId).result()) as RunResult;
          return keyOfRun(result);
        }),
      );
      expect(keys.sort()).toEqual(events.map((e) => e.idempotencyKey).sort());
      // Nothing more arrives later: the checkpoint is past all three.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await eventsOf(stack.h, accountId)).toHaveLength(3);
    },
  );

  it('answers the intake status and re-reads the last days on request without storing anything twice', async () => {
    const token = (await createToken(stack.h.db, 'mail intake status test')).plaintext;
    const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      stack.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const status = await call('GET', `/api/mail/accounts/${accountId}/intake`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      accountId,
      imapState: 'ok',
      folders: [{ folder: 'INBOX', lastUid: 3, listener: { state: 'listening', idle: true } }],
    });
    const refused = await call('POST', `/api/mail/intake/${accountId}/backfill`, { days: 0 });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json())).toContain('/days');
    expect((await call('GET', '/api/mail/accounts/nobody/intake')).statusCode).toBe(404);
    const asked = await call('POST', `/api/mail/intake/${accountId}/backfill`, { days: 1 });
    expect(asked.statusCode).toBe(202);
    const done = await waitFor(
      'the requested back-fill to finish',
      async () =>
        (await call('GET', `/api/mail/accounts/${accountId}/intake`)).json<{
          folders: { backfill?: { total: number; done: number } }[];
        }>(),
      (s) => s.folders[0]?.backfill?.total === 3 && s.folders[0].backfill.done === 3,
    );
    expect(done.folders[0]?.backfill).toEqual({ total: 3, done: 3 });
    const request = await stack.h.db.query<{ days: number | null }>(
      'select backfill_requested_days as days from mail_folder_state where account_id = $1',
      [accountId],
    );
    expect(request.rows[0]?.days).toBeNull();
    expect(await eventsOf(stack.h, accountId)).toHaveLength(3);
  });
  it('follows a back-fill from the CLI until every folder has finished, then shows the intake', async () => {
    const base = await stack.app.listen({ host: '127.0.0.1', port: 0 });
    const token = (await createToken(stack.h.db, 'mail intake CLI test')).plaintext;
    const cli = path.resolve(import.meta.dirname, '../../bin/trellis.ts');
    const trellis = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [cli, ...args],
          {
            env: {
              PATH: process.env.PATH ?? '',
              HOME: process.env.HOME ?? '',
              TRELLIS_URL: base,
              TRELLIS_API_TOKEN: token,
            },
            timeout: 90_000,
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const followed = await trellis(['mail', 'backfill', accountId, '--days', '2', '--timeout', '1', '--json']);
    expect(followed.code, followed.stderr).toBe(0);
    const final = JSON.parse(followed.stdout) as { folders: { backfill?: object; backfillRequestedDays?: number }[] };
    expect(final.folders[0]).toMatchObject({ backfill: { total: 3, done: 3 } });
    expect(final.folders[0]?.backfillRequestedDays).toBeUndefined();
    const shown = await trellis(['mail', 'intake', accountId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/INBOX\s+listening \(IDLE\)\s+3\s+3\/3/);
    expect(await eventsOf(stack.h, accountId)).toHaveLength(3);
  });
});
