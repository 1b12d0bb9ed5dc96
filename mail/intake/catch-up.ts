import type { ImapFlow, MailboxObject } from 'imapflow';
import { createHash } from 'node:crypto';
import type { Db } from '../../store/db.ts';
import {
  advanceCheckpoint,
  backfillProgress,
  claimMessage,
  markDelivered,
  requestedBackfill,
  resetCheckpoint,
  startBackfill,
  type Checkpoint,
  type Delivered,
  type FolderKey,
} from './folder-store.ts';

// What a connected listener does with its folder: settle the checkpoint against the server's
// UIDVALIDITY, then take every message above the checkpoint in UID order: claim it in PostgreSQL,
// read it, hand it to the delivery, mark the claim and move the checkpoint in one transaction.
// The checkpoint never passes a message that was not delivered, so a crash re-delivers at most
// the claimed-but-unmarked ones, and ingest's idempotency key (the Message-ID) makes that the same event.

export interface IntakeMessage {
  accountId: string;
  folder: string;
  uidValidity: bigint;
  uid: number;
  raw: Buffer;
}

/** Stores and dispatches one message; answers the event it became. */
export type DeliverMessage = (message: IntakeMessage) => Promise<{ eventId: string; messageId?: string }>;

export class LeaseLost extends Error {
  constructor(key: FolderKey) {
    super(`the lease on ${key.accountId}/${key.folder} passed to another listener`);
  }
}

export interface CatchUpContext {
  db: Db;
  key: FolderKey;
  owner: string;
  leaseMs: number;
  deliver: DeliverMessage;
  /** False once the lease was lost (it is renewed on its own clock while connected). */
  leaseHeld: () => boolean;
  stopped: () => boolean;
  log: (line: string) => void;
}

const DAY_MS = 24 * 3600_000;
/** A message whose delivery fails this many times in a row is recorded as failed and passed. */
const MAX_DELIVERY_FAILURES = 5;

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

const failures = new Map<string, number>();

/** The Message-ID header, for the claim row (the event has the parsed one). */
function messageIdOf(raw: Buffer): string | undefined {
  const head = raw.toString('latin1', 0, Math.min(raw.length, 64 * 1024));
  const end = head.search(/\r?\n\r?\n/);
  const match = /^message-id:[ \t]*<?([^>\r\n]+)>?/im.exec(end < 0 ? head : head.slice(0, end));
  return match?.[1]?.trim() || undefined;
}

/**
 * Claims, reads, delivers and marks one message; `advance` also moves the checkpoint past it.
 * 'busy': another listener holds a fresh claim on it.
 */
async function takeMessage(
  context: CatchUpContext,
  client: ImapFlow,
  uidValidity: bigint,
  uid: number,
  advance: boolean,
): Promise<'taken' | 'busy'> {
  const { db, key, owner } = context;
  if (!context.leaseHeld()) throw new LeaseLost(key);
  const claim = await claimMessage(db, key, uidValidity, uid, owner, context.leaseMs);
  if (claim === 'busy') return 'busy';
  if (claim === 'done') {
    if (advance && !(await advanceCheckpoint(db, key, owner, uidValidity, uid))) throw new LeaseLost(key);
    return 'taken';
  }
  const fetched = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
  const raw = fetched ? fetched.source : undefined;
  const failureKey = `${key.accountId}\0${key.folder}\0${uidValidity}\0${uid}`;
  let outcome: Delivered;
  if (!raw) {
    outcome = { status: 'failed', reason: 'expunged before it could be read', rawSha256: '', sizeBytes: 0 };
  } else {
    const rawSha256 = createHash('sha256').update(raw).digest('hex');
    try {
      const delivered = await context.deliver({ accountId: key.accountId, folder: key.folder, uidValidity, uid, raw });
      failures.delete(failureKey);
      outcome = {
        status: 'delivered',
        eventId: delivered.eventId,
        ...((delivered.messageId ?? messageIdOf(raw)) ? { messageId: delivered.messageId ?? messageIdOf(raw) } : {}),
        rawSha256,
        sizeBytes: raw.length,
      };
    } catch (error) {
      const count = (failures.get(failureKey) ?? 0) + 1;
      failures.set(failureKey, count);
      if (count < MAX_DELIVERY_FAILURES) throw error;
      failures.delete(failureKey);
      const reason = `delivery failed ${count} times: ${error instanceof Error ? error.message : String(error)}`;
      context.log(`mail intake ${key.accountId}/${key.folder}: UID ${uid} passed over, ${reason}`);
      outcome = { status: 'failed', reason, rawSha256, sizeBytes: raw.length };
    }
  }
  if (!(await markDelivered(db, key, uidValidity, uid, owner, outcome, advance))) throw new LeaseLost(key);
  return 'taken';
}

/** Takes every message above `lastUid`; answers the new checkpoint. Stops early (without error) on a busy claim. */
export async function catchUp(
  context: CatchUpContext,
  client: ImapFlow,
  uidValidity: bigint,
  lastUid: number,
): Promise<number> {
  const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  // `n:*` always names the last message, even below n.
  const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  let last = lastUid;
  for (const uid of uids) {
    if (context.stopped()) break;
    // Busy: another listener is on it right now; come back on the next wake.
    if ((await takeMessage(context, client, uidValidity, uid, true)) === 'busy') break;
    last = uid;
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
  for (const uid of uids) {
    if (context.stopped()) return;
    await takeMessage(context, client, uidValidity, uid, false);
    await backfillProgress(db, key, owner);
  }
  await backfillProgress(db, key, owner, { days });
}
