import type { ImapFlow, MailboxObject } from 'imapflow';
import { sweepAfterRun } from './after-run.ts';
import {
  backfillProgress,
  recordFolderError,
  requestedBackfill,
  resetCheckpoint,
  startBackfill,
  type Checkpoint,
} from './folder-store.ts';
import { BATCH_SIZE, LeaseLost, takeBatch, type CatchUpContext } from './take-messages.ts';

export {
  LeaseLost,
  type CatchUpContext,
  type DeliverMessage,
  type IntakeMessage,
  type MessageSink,
} from './take-messages.ts';

// What a connected listener does with its folder: settle the checkpoint against the server's
// UIDVALIDITY, then take every message above the checkpoint in UID order, a batch at a time
// (take-messages.ts: claimed in PostgreSQL, read, delivered, the claims marked and the checkpoint
// moved in one transaction). The checkpoint never passes a message that was not delivered, so a
// crash re-delivers at most the claimed-but-unmarked ones, and ingest's idempotency key (the
// Message-ID) makes that the same event.

const DAY_MS = 24 * 3600_000;

/**
 * Settles the checkpoint with the folder as opened: on the first connection and after a change of
 * UIDVALIDITY, starts from the back-fill window (a changed UIDVALIDITY re-reads at least a day:
 * mail stored before keeps its event because its Message-ID is the idempotency key).
 */
export async function settleCheckpoint(
  context: CatchUpContext,
  client: ImapFlow,
  mailbox: MailboxObject,
  checkpoint: Checkpoint,
  backfillDays: number,
): Promise<{ uidValidity: bigint; lastUid: number }> {
  const uidValidity = BigInt(mailbox.uidValidity);
  if (checkpoint.uidValidity === uidValidity) return { uidValidity, lastUid: checkpoint.lastUid };
  const changed = checkpoint.uidValidity !== undefined;
  const days = changed ? Math.max(backfillDays, 1) : backfillDays;
  const found = days > 0 ? await client.search({ since: new Date(Date.now() - days * DAY_MS) }, { uid: true }) : [];
  const uids = (found || []).sort((a, b) => a - b);
  const lastUid = uids.length > 0 ? uids[0]! - 1 : Math.max(0, Number(mailbox.uidNext ?? 1) - 1);
  const note = changed
    ? `UIDVALIDITY of ${context.key.folder} changed from ${checkpoint.uidValidity} to ${uidValidity}: ` +
      `re-reading the last ${days} day(s); mail stored before keeps its event (same Message-ID)`
    : undefined;
  if (note) context.log(`mail intake ${context.key.accountId}: ${note}`);
  if (
    !(await resetCheckpoint(context.db, context.key, context.owner, {
      uidValidity,
      lastUid,
      backfillTotal: uids.length,
      ...(note ? { note } : {}),
    }))
  )
    throw new LeaseLost(context.key);
  return { uidValidity, lastUid };
}

const batches = (uids: number[]) =>
  Array.from({ length: Math.ceil(uids.length / BATCH_SIZE) }, (_, i) =>
    uids.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE),
  );

/**
 * Takes every message above `lastUid`, a batch at a time; answers the new checkpoint. Stops early
 * (without error) at a UID another listener holds. First finishes the after-run actions a crash
 * or a refused command left undone.
 */
export async function catchUp(
  context: CatchUpContext,
  client: ImapFlow,
  uidValidity: bigint,
  lastUid: number,
): Promise<number> {
  if (context.afterRun) {
    const problem = await sweepAfterRun(context.db, client, context.key, uidValidity, context.afterRun);
    if (problem) {
      context.log(`mail intake ${context.key.accountId}/${context.key.folder}: ${problem}`);
      await recordFolderError(context.db, context.key, problem);
    }
  }
  const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  // `n:*` always names the last message, even below n.
  const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  let last = lastUid;
  for (const batch of batches(uids)) {
    if (context.stopped()) break;
    const taken = await takeBatch(context, client, uidValidity, batch, true);
    if (taken.last !== undefined) last = taken.last;
    // Busy: another listener is on it right now; come back on the next wake.
    if (taken.busy) break;
  }
  return last;
}

/**
 * A back-fill the operator asked for: the messages of the last N days at or below the checkpoint
 * (those above it are the catch-up's), each claimed like any other, so mail taken before is not
 * taken again. The request is cleared only once it is finished: a restart resumes it.
 */
export async function runRequestedBackfill(
  context: CatchUpContext,
  client: ImapFlow,
  uidValidity: bigint,
  lastUid: number,
): Promise<void> {
  const { db, key, owner } = context;
  const days = await requestedBackfill(db, key, owner);
  if (days === undefined) return;
  const found = await client.search({ since: new Date(Date.now() - days * DAY_MS) }, { uid: true });
  const uids = (found || []).filter((uid) => uid <= lastUid).sort((a, b) => a - b);
  await startBackfill(db, key, owner, uids.length);
  for (const batch of batches(uids)) {
    if (context.stopped()) return;
    await takeBatch(context, client, uidValidity, batch, false);
    await backfillProgress(db, key, owner, batch.length);
  }
  await backfillProgress(db, key, owner, { finishedDays: days });
}
