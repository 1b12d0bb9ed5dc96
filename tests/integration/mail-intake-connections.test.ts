import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MailIntake } from '../../server/lib/mail-intake.ts';
import {
  eventsOf,
  listening,
  mail,
  startIntakeStack,
  waitFor,
  type IntakeStack,
} from '../support/mail/intake-stack.ts';

// The listener's connection: a dropped IDLE session is noticed and caught up; a hundred drops in
// a row never leave more than one session open (Dovecot allows five); a wrong password shows on
// the account and is not retried in a storm.
describe('mail intake: dropped sessions, the connection bound, a wrong password', () => {
  const services = inject('services');
  let stack: IntakeStack;
  let accountId = '';
  let intake: MailIntake;
  beforeAll(async () => {
    stack = await startIntakeStack(services, { worker: false, maxConnections: 5 });
    accountId = await stack.account('idle');
    await stack.wire(accountId);
    intake = await stack.intake();
    await listening(stack.h, accountId);
  });
  afterAll(() => stack?.close());

  const listenerOf = () => intake.listenerStatus(accountId, 'INBOX');

  it('notices a dropped IDLE session, reconnects and catches up mail that arrived meanwhile', async () => {
    await waitFor(
      'the listener to IDLE',
      () => listenerOf(),
      (s) => s?.state === 'listening' && s.idle,
    );
    const attempts = listenerOf()!.attempts;
    stack.dovecot.kick();
    await stack.dovecot.append(mail('Sent during the drop'));
    const events = await waitFor(
      'the caught-up event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 1,
    );
    expect(events.map((e) => e.subject)).toEqual(['Sent during the drop']);
    expect(listenerOf()!.attempts).toBeGreaterThan(attempts);
  });

  it('keeps at most one session open through 100 drops in a row, and takes the mail after them', async () => {
    let most = 0;
    for (let cycle = 0; cycle < 100; cycle++) {
      const attempts = listenerOf()!.attempts;
      stack.dovecot.kick();
      await waitFor(
        `reconnect ${cycle + 1}`,
        () => {
          const open = stack.dovecot.sessions();
          most = Math.max(most, open);
          return { open, status: listenerOf() };
        },
        ({ open, status }) => open === 1 && status?.state === 'listening' && status.attempts > attempts,
        15_000,
      );
    }
    expect(most).toBe(1);
    await stack.dovecot.append(mail('After a hundred drops'));
    await waitFor(
      'the event after the drops',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 2,
    );
    expect(stack.dovecot.sessions()).toBe(1);
  }, 300_000);

  it('shows a wrong password on the account with a clear error, and tries again only after a long pause', async () => {
    await stack.stopIntakes();
    const wrong = await stack.account('wrongpw', { password: 'not-the-password' });
    intake = await stack.intake({
      listener: { leaseMs: 3_000, pollMs: 1_000, watchdogMs: 1_500, noopDeadlineMs: 3_000 },
    });
    const account = () =>
      stack.h.db
        .query<{ imap_state: string; imap_error: string | null }>(
          'select imap_state, imap_error from mail_accounts where id = $1',
          [wrong],
        )
        .then((r) => r.rows[0]);
    const failing = await waitFor('the account to show failing', account, (a) => a?.imap_state === 'failing', 20_000);
    expect(failing?.imap_error).toMatch(/refused the login: check the user name and the \(app\) password/);
    expect(failing?.imap_error).not.toContain('not-the-password');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    // The production backoff for a refused login starts at a minute: one attempt in these 10 s.
    expect(intake.listenerStatus(wrong, 'INBOX')?.attempts).toBe(1);
    expect(intake.listenerStatus(wrong, 'INBOX')?.state).toBe('backing-off');
  }, 60_000);
});
