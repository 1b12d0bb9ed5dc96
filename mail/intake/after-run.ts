import type { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../../schemas/mail-account.ts';
import type { Db } from '../../store/db.ts';
import type { FolderKey } from './folder-store.ts';
import { afterRunDone, pendingAfterRun } from './message-claims.ts';

// What the account asks to be done with a message once its event is stored and its runs started
// (imap.afterRun): nothing (the folder stays read-only), flag it \Seen, or move it to imap.moveTo.
// The action owed is written with the claim's mark and confirmed once the server said so, so a
// crash in between is finished by the next sweep, and doing it twice is harmless: \Seen on a
// message that has it, or a move of a UID that already left the folder, changes nothing.
// A move takes the UID out of the watched folder; the checkpoint has passed it already (it moves
// in the mark's transaction), so neither the catch-up above the checkpoint nor the claims miss it.

export type AfterRunAction = { action: 'flag' } | { action: 'move'; moveTo: string };

const isInbox = (name: string) => name.toUpperCase() === 'INBOX';
const sameFolder = (a: string, b: string) => a === b || (isInbox(a) && isInbox(b));

/**
 * The action for messages of `folder`, undefined for none. A move into the watched folder itself
 * would hand the message a new UID above the checkpoint, for ever: it counts as none.
 */
export function afterRunOf(
  imap: Pick<ImapSettings, 'afterRun' | 'moveTo'>,
  folder: string,
): AfterRunAction | undefined {
  if (imap.afterRun === 'flag') return { action: 'flag' };
  if (imap.afterRun === 'move' && imap.moveTo && !sameFolder(imap.moveTo, folder))
    return { action: 'move', moveTo: imap.moveTo };
  return undefined;
}

/**
 * Carries the action out on these UIDs of the open folder and records the ones the server
 * confirmed. Answers an error sentence for the ones it could not do (left pending for the next sweep).
 */
export async function carryOut(
  db: Db,
  client: ImapFlow,
  key: FolderKey,
  uidValidity: bigint,
  uids: number[],
  afterRun: AfterRunAction,
): Promise<string | undefined> {
  if (uids.length === 0) return undefined;
  const range = uids.join(',');
  if (afterRun.action === 'flag') {
    // A UID that left the folder meanwhile is simply not stored: the STORE still answers OK.
    if (!(await client.messageFlagsAdd(range, ['\\Seen'], { uid: true })))
      return `could not flag ${uids.length} message(s) \\Seen in ${key.folder}`;
    await afterRunDone(db, key, uidValidity, uids);
    return undefined;
  }
  const moved = await client.messageMove(range, afterRun.moveTo, { uid: true });
  if (moved) {
    await afterRunDone(db, key, uidValidity, uids);
    return undefined;
  }
  // A refused move (the folder is missing, the server said NO): the UIDs no longer in the folder
  // have left it (moved by an earlier attempt, or by a person); the others stay pending.
  const still = new Set((await client.search({ uid: range }, { uid: true })) || []);
  await afterRunDone(
    db,
    key,
    uidValidity,
    uids.filter((uid) => !still.has(uid)),
  );
  return still.size > 0
    ? `could not move ${still.size} message(s) from ${key.folder} to "${afterRun.moveTo}": check that the folder exists (the connection test reports it)`
    : undefined;
}

/** Finishes the actions a crash (or a refused command) left undone in this folder, a batch at a time. */
export async function sweepAfterRun(
  db: Db,
  client: ImapFlow,
  key: FolderKey,
  uidValidity: bigint,
  afterRun: AfterRunAction,
): Promise<string | undefined> {
  for (;;) {
    const uids = await pendingAfterRun(db, key, uidValidity, 200);
    if (uids.length === 0) return undefined;
    const problem = await carryOut(db, client, key, uidValidity, uids, afterRun);
    if (problem || uids.length < 200) return problem;
  }
}
