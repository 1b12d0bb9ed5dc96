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

// After-run actions against real Dovecot: `flag` sets \Seen once the message's event is stored,
// `move` files it in moveTo (and a restarted listener neither re-delivers it nor loses the next
// one), a move a crash left undone is finished by the next catch-up, and `none` changes nothing.
// Each account watches its own folders: every account here is the same Dovecot user.
describe('mail intake: after-run actions', () => {
  const services = inject('services');
  let stack: IntakeStack;
  beforeAll(async () => {
    stack = await startIntakeStack(services, { worker: false });
  });
  afterAll(() => stack?.close());

  const folderPair = async (name: string) => {
    const suffix = Date.now().toString(36);
    const watched = `${name}-${suffix}`;
    const moveTo = `${name}-done-${suffix}`;
    await stack.dovecot.createFolder(watched);
    await stack.dovecot.createFolder(moveTo);
    return { watched, moveTo };
  };
  const claimsOf = async (accountId: string) =>
    (
      await stack.h.db.query<{ uid: number; status: string; after_run: string | null; done: boolean }>(
        `select uid::int as uid, status, after_run, after_run_at is not null as done from mail_messages
         where account_id = $1 order by uid`,
        [accountId],
      )
    ).rows;
  const subjectsIn = async (folder: string) =>
    (await stack.dovecot.messages(folder)).map((m) => /^Subject: (.*)$/m.exec(m.source.toString())?.[1]?.trim());

  it('flag: the message is \\Seen once its event is stored, and the claim says so', async () => {
    const { watched } = await folderPair('Flag');
    const accountId = await stack.account('flag', { folders: [watched], afterRun: 'flag' });
    await stack.wire(accountId);
    await stack.intake();
    await listening(stack.h, accountId, watched);
    const uid = await stack.dovecot.append(mail('Flag me'), { folder: watched });
    await waitFor(
      'the event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 1,
    );
    const flags = await waitFor(
      'the \\Seen flag',
      async () => (await stack.dovecot.messages(watched)).find((m) => m.uid === uid)?.flags ?? [],
      (f) => f.includes('\\Seen'),
    );
    expect(flags).toContain('\\Seen');
    expect(await claimsOf(accountId)).toEqual([{ uid, status: 'delivered', after_run: 'flag', done: true }]);
  }, 120_000);

  it('move: the message goes to moveTo and a restarted listener neither re-delivers it nor misses the next', async () => {
    const { watched, moveTo } = await folderPair('Move');
    const accountId = await stack.account('move', { folders: [watched], afterRun: 'move', moveTo });
    await stack.wire(accountId);
    let intake = await stack.intake();
    await listening(stack.h, accountId, watched);
    await stack.dovecot.append(mail('Move 1'), { folder: watched });
    await stack.dovecot.append(mail('Move 2'), { folder: watched });
    await waitFor(
      'two events',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 2,
    );
    await waitFor(
      'both moved',
      () => subjectsIn(moveTo),
      (s) => s.length === 2,
    );
    expect(await subjectsIn(watched)).toEqual([]);
    await intake.stop();

    intake = await stack.intake();
    await stack.dovecot.append(mail('Move 3'), { folder: watched });
    await waitFor(
      'the third moved',
      () => subjectsIn(moveTo),
      (s) => s.length === 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // Time for a wrong re-delivery to show.
    const events = await eventsOf(stack.h, accountId);
    expect(events.map((e) => e.subject)).toEqual(['Move 1', 'Move 2', 'Move 3']);
    expect((await subjectsIn(moveTo)).sort()).toEqual(['Move 1', 'Move 2', 'Move 3']);
    expect(await subjectsIn(watched)).toEqual([]);
    expect((await claimsOf(accountId)).map(({ status, after_run, done }) => ({ status, after_run, done }))).toEqual(
      Array(3).fill({ status: 'delivered', after_run: 'move', done: true }),
    );
    await intake.stop();
  }, 120_000);

  it('move: a crash between the mark and the move is finished by the next catch-up, without a second event', async () => {
    const { watched, moveTo } = await folderPair('Crash');
    const accountId = await stack.account('crash', { folders: [watched], afterRun: 'move', moveTo });
    const intake = await stack.intake();
    await listening(stack.h, accountId, watched);
    await intake.stop();
    // What a process that died right after the mark's transaction leaves: the claim marked with
    // the move owed, the checkpoint past the message, and the message still in the watched folder.
    const uid = await stack.dovecot.append(mail('Crashed before the move'), { folder: watched });
    const state = await folderState(stack.h, accountId, watched);
    await stack.h.db.query(
      `insert into mail_messages (account_id, folder, uid_validity, uid, status, claimed_by, after_run)
       values ($1, $2, $3, $4, 'delivered', 'a-process-that-died', 'move')`,
      [accountId, watched, state!.uid_validity, uid],
    );
    await stack.h.db.query('update mail_folder_state set last_uid = $3 where account_id = $1 and folder = $2', [
      accountId,
      watched,
      uid,
    ]);
    await stack.intake();
    await waitFor(
      'the move finished',
      () => subjectsIn(moveTo),
      (s) => s.length === 1,
    );
    expect(await subjectsIn(watched)).toEqual([]);
    expect(await claimsOf(accountId)).toEqual([{ uid, status: 'delivered', after_run: 'move', done: true }]);
    expect(await eventsOf(stack.h, accountId)).toEqual([]); // Its event was stored before the crash, not again.
  }, 120_000);

  it('none: the folder is left as it was', async () => {
    const { watched } = await folderPair('None');
    const accountId = await stack.account('none', { folders: [watched], afterRun: 'none' });
    await stack.intake();
    await listening(stack.h, accountId, watched);
    const uid = await stack.dovecot.append(mail('Leave me'), { folder: watched });
    await waitFor(
      'the event',
      () => eventsOf(stack.h, accountId),
      (e) => e.length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const messages = await stack.dovecot.messages(watched);
    expect(messages.map((m) => ({ uid: m.uid, seen: m.flags.includes('\\Seen') }))).toEqual([{ uid, seen: false }]);
    expect(await claimsOf(accountId)).toEqual([{ uid, status: 'delivered', after_run: null, done: false }]);
  }, 120_000);
});
