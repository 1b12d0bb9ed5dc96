import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  eventsOf,
  folderState,
  listening,
  mail,
  startIntakeStack,
  waitFor,
  type IntakeStack,
} from '../support/mail/intake-stack.ts';

// Nothing lost, nothing twice: across a stopped intake, a changed UIDVALIDITY, two intake
// processes on one database, and a Dovecot restart in the middle of a 500-message back-fill.
describe('mail intake: restarts, UIDVALIDITY, two processes, a back-fill through a server restart', () => {
  const services = inject('services');
  let stack: IntakeStack;
  beforeAll(async () => {
    stack = await startIntakeStack(services, { worker: false });
  });
  afterAll(() => stack?.close());

  const claimsOf = async (accountId: string) =>
    (
      await stack.h.db.query<{ uid: string; claimed_by: string; status: string }>(
        'select uid, claimed_by, status from mail_messages where account_id = $1 order by uid',
        [accountId],
      )
    ).rows;

  it('takes mail that arrived while it was stopped, once, and none of it again', async () => {
    const accountId = await stack.account('restart');
    await stack.wire(accountId);
    let intake = await stack.intake();
    await listening(stack.h, accountId);
    await stack.dovecot.append(mail('Before the stop'));
    await waitFor(
      'the first event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 1,
    );
    await intake.stop();
    await stack.dovecot.append(mail('While stopped 1'));
    await stack.dovecot.append(mail('While stopped 2'));
    intake = await stack.intake();
    const events = await waitFor(
      'three events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 3,
    );
    expect(events.map((e) => e.subject).sort()).toEqual(['Before the stop', 'While stopped 1', 'While stopped 2']);
    await intake.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await eventsOf(stack.h, accountId)).toHaveLength(3);
    expect((await claimsOf(accountId)).map((c) => c.status)).toEqual(['delivered', 'delivered', 'delivered']);
  }, 120_000);

  it('starts over when UIDVALIDITY changes, says so, and stores no mail twice', async () => {
    const folder = `Clients-${Date.now().toString(36)}`;
    await stack.dovecot.createFolder(folder);
    const accountId = await stack.account('uidvalidity', { folders: [folder] });
    await stack.wire(accountId);
    const intake = await stack.intake();
    await listening(stack.h, accountId, folder);
    const kept = mail('Kept across the change');
    await stack.dovecot.append(kept, { folder });
    await waitFor(
      'the first event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 1,
    );
    const before = (await folderState(stack.h, accountId, folder))!.uid_validity;
    await intake.stop();
    // The server renumbers the folder (a restore, a migration): delete it and create it anew.
    const admin = new ImapFlow({
      host: stack.dovecot.host,
      port: stack.dovecot.port,
      secure: false,
      auth: { user: stack.dovecot.user, pass: stack.dovecot.password },
      logger: false,
    });
    await admin.connect();
    await admin.mailboxDelete(folder);
    await admin.mailboxCreate(folder);
    await admin.logout();
    await stack.dovecot.append(kept, { folder });
    await stack.dovecot.append(mail('New after the change'), { folder });
    await stack.intake();
    const events = await waitFor(
      'the new event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 2,
    );
    expect(events.map((e) => e.subject)).toEqual(['Kept across the change', 'New after the change']);
    const state = await stack.h.db.query<{ uid_validity: string; last_error: string | null }>(
      'select uid_validity, last_error from mail_folder_state where account_id = $1',
      [accountId],
    );
    expect(state.rows[0]?.uid_validity).not.toBe(before);
    expect(state.rows[0]?.last_error).toMatch(/UIDVALIDITY .* changed from/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await eventsOf(stack.h, accountId)).toHaveLength(2);
  }, 120_000);

  it('claims each message once when two intake processes share the database', async () => {
    await stack.stopIntakes();
    // Its own folder: the INBOX is read by the first test's account too, and a Message-ID is one event.
    const folder = `Shared-${Date.now().toString(36)}`;
    await stack.dovecot.createFolder(folder);
    const accountId = await stack.account('twoprocs', { folders: [folder] });
    await stack.wire(accountId);
    const [first, second] = await Promise.all([stack.intake(), stack.intake()]);
    await listening(stack.h, accountId, folder);
    for (let i = 0; i < 10; i++) await stack.dovecot.append(mail(`Shared ${i}`), { folder });
    await waitFor(
      'ten events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 10,
    );
    // The holder stops: the other takes over once the lease expires, and continues from the checkpoint.
    const holder = (await folderState(stack.h, accountId, folder))!.lease_owner;
    const [stopping, staying] = holder === first.owner ? [first, second] : [second, first];
    await stopping.stop();
    for (let i = 10; i < 15; i++) await stack.dovecot.append(mail(`Shared ${i}`), { folder });
    await waitFor(
      'fifteen events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 15,
      30_000,
    );
    expect((await folderState(stack.h, accountId, folder))!.lease_owner).toBe(staying.owner);
    // An event is stored a moment before its claim is marked.
    const claims = await waitFor(
      'fifteen claims marked delivered',
      () => claimsOf(accountId),
      (c) => c.length === 15 && c.every((claim) => claim.status === 'delivered'),
    );
    expect(claims).toHaveLength(15);
    expect(claims.every((c) => c.status === 'delivered')).toBe(true);
    expect(new Set(claims.map((c) => c.uid)).size).toBe(15);
    expect(await eventsOf(stack.h, accountId)).toHaveLength(15);
    await staying.stop();
  }, 120_000);

  it('back-fills 500 messages through a Dovecot restart: all 500 events, none twice', async () => {
    const folder = `Backfill-${Date.now().toString(36)}`;
    await stack.dovecot.createFolder(folder);
    for (let i = 0; i < 500; i++) await stack.dovecot.append(mail(`Old mail ${i}`), { folder });
    await stack.stopIntakes();
    const accountId = await stack.account('backfill', { folders: [folder], backfillDays: 7 });
    await stack.wire(accountId);
    await stack.intake();
    const progress = () =>
      stack.h.db
        .query<{ done: number; total: number | null }>(
          'select backfill_done as done, backfill_total as total from mail_folder_state where account_id = $1',
          [accountId],
        )
        .then((r) => r.rows[0]);
    await waitFor('the back-fill under way', progress, (p) => (p?.done ?? 0) >= 50, 120_000);
    await stack.dovecot.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stack.dovecot.start();
    await waitFor(
      '500 events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length >= 500,
      300_000,
    );
    const events = await eventsOf(stack.h, accountId);
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.subject)).size).toBe(500);
    // The event is stored a moment before its claim is marked and counted.
    await waitFor('the back-fill counted to the end', progress, (p) => p?.done === 500, 30_000);
    expect(await progress()).toEqual({ done: 500, total: 500 });
    const claims = await claimsOf(accountId);
    expect(claims).toHaveLength(500);
    expect(claims.every((c) => c.status === 'delivered')).toBe(true);
  }, 420_000);
});
