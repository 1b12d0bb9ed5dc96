import type { ImapFlow } from 'imapflow';
import { createHash } from 'node:crypto';
import type { Db } from '../../store/db.ts';
import { carryOut, type AfterRunAction } from './after-run.ts';
import { recordFolderError, type FolderKey } from './folder-store.ts';
import { claimMessages, markMessages, type Delivered } from './message-claims.ts';
import type { RouteStoredEvent } from './routing-pump.ts';

// Taking a batch of messages of the open folder, in UID order: claim them in one statement, read
// them with one UID FETCH per group (the next group is read while this one is delivered), store
// each as an event through ingest (routing follows in routing-pump.ts), then mark the claims and move the checkpoint in one transaction, and carry
// out the account's after-run action. The checkpoint only moves past a run of UIDs that are all
// delivered (or were before): a delivery that throws marks what came before it and stops there,
// and a crash before the mark re-delivers the batch, which ingest's idempotency key (the
// Message-ID) turns into the same events.

export interface IntakeMessage {
  accountId: string;
  folder: string;
  uidValidity: bigint;
  uid: number;
  raw: Buffer;
}

/** Stores one message as an event, durably and once per Message-ID; answers the event it became. */
export type DeliverMessage = (message: IntakeMessage) => Promise<{ eventId: string; messageId?: string }>;

/** Where the intake hands what it takes: stored first, routed behind it (routing-pump.ts). */
export interface MessageSink {
  store: DeliverMessage;
  route: RouteStoredEvent;
}

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
  /** Marked messages are owed their routing: the folder's routing pump should look now. */
  routeSoon?: () => void;
  /** What to do with a delivered message (undefined: nothing, the folder is read-only). */
  afterRun?: AfterRunAction;
  /** False once the lease was lost (it is renewed on its own clock while connected). */
  leaseHeld: () => boolean;
  stopped: () => boolean;
  log: (line: string) => void;
}

/** UIDs claimed and marked per transaction. */
export const BATCH_SIZE = 50;
/** Bytes read per UID FETCH (a larger message is read alone), so a batch of large mail stays in bounds. */
const GROUP_BYTES = 8 * 1024 * 1024;
/** A message whose delivery fails this many times in a row is recorded as failed and passed. */
const MAX_DELIVERY_FAILURES = 5;

const failures = new Map<string, number>();

/** The Message-ID header, for the claim row (the event has the parsed one). */
function messageIdOf(raw: Buffer): string | undefined {
  const head = raw.toString('latin1', 0, Math.min(raw.length, 64 * 1024));
  const end = head.search(/\r?\n\r?\n/);
  const match = /^message-id:[ \t]*<?([^>\r\n]+)>?/im.exec(end < 0 ? head : head.slice(0, end));
  return match?.[1]?.trim() || undefined;
}

/** The UIDs in groups of at most GROUP_BYTES (by the server's sizes), each read with one FETCH. */
async function fetchGroups(client: ImapFlow, uids: number[]): Promise<number[][]> {
  if (uids.length <= 1) return uids.length ? [uids] : [];
  const sizes = new Map<number, number>();
  for (const message of await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true }))
    sizes.set(message.uid, message.size ?? 0);
  const groups: number[][] = [];
  let group: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (group.length > 0 && bytes + size > GROUP_BYTES) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(uid);
    bytes += size;
  }
  groups.push(group);
  return groups;
}

async function readGroup(client: ImapFlow, uids: number[]): Promise<Map<number, Buffer>> {
  const sources = new Map<number, Buffer>();
  for (const message of await client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true }))
    if (message.source) sources.set(message.uid, message.source);
  return sources;
}

/** Delivers one read message; answers its outcome, or throws to be retried (the first few failures). */
async function deliverOne(
  context: CatchUpContext,
  uidValidity: bigint,
  uid: number,
  raw: Buffer | undefined,
): Promise<Delivered> {
  const { key } = context;
  if (!raw) return { uid, status: 'failed', reason: 'expunged before it could be read', rawSha256: '', sizeBytes: 0 };
  const rawSha256 = createHash('sha256').update(raw).digest('hex');
  const failureKey = `${key.accountId}\0${key.folder}\0${uidValidity}\0${uid}`;
  try {
    const delivered = await context.deliver({ accountId: key.accountId, folder: key.folder, uidValidity, uid, raw });
    failures.delete(failureKey);
    const messageId = delivered.messageId ?? messageIdOf(raw);
    return {
      uid,
      status: 'delivered',
      eventId: delivered.eventId,
      ...(messageId ? { messageId } : {}),
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
    return { uid, status: 'failed', reason, rawSha256, sizeBytes: raw.length };
  }
}

export interface TakenBatch {
  /** The last UID of the batch handled (delivered now or before), in order from the first. */
  last?: number;
  /** A UID another listener holds right now stopped the batch there. */
  busy: boolean;
}

/**
 * Takes a batch of UIDs (ascending). `advance` (the catch-up) moves the checkpoint and stops at the
 * first UID another listener holds; without it (a requested back-fill) busy UIDs are skipped.
 */
export async function takeBatch(
  context: CatchUpContext,
  client: ImapFlow,
  uidValidity: bigint,
  uids: number[],
  advance: boolean,
): Promise<TakenBatch> {
  const { db, key, owner } = context;
  if (!context.leaseHeld()) throw new LeaseLost(key);
  const claims = await claimMessages(db, key, uidValidity, uids, owner, context.leaseMs);
  const takeable = (uid: number) => claims.get(uid) === 'claimed' || claims.get(uid) === 'done';
  const firstBusy = uids.findIndex((uid) => !takeable(uid));
  const work = advance && firstBusy >= 0 ? uids.slice(0, firstBusy) : uids.filter(takeable);
  const busy = advance && firstBusy >= 0;
  const claimed = work.filter((uid) => claims.get(uid) === 'claimed');

  const delivered: Delivered[] = [];
  let last: number | undefined;
  let failure: Error | undefined;
  const groups = await fetchGroups(client, claimed);
  let reading = groups[0] ? readGroup(client, groups[0]) : undefined;
  reading?.catch(() => {}); // Awaited below; a failure surfaces there.
  let groupIndex = 0;
  let sources = new Map<number, Buffer>();
  let group = new Set<number>();
  try {
    for (const uid of work) {
      if (claims.get(uid) === 'claimed') {
        if (!group.has(uid)) {
          // The group holding this UID is the one being read; start reading the next meanwhile.
          group = new Set(groups[groupIndex]);
          sources = await reading!;
          groupIndex += 1;
          const next = groups[groupIndex];
          reading = next ? readGroup(client, next) : undefined;
          reading?.catch(() => {}); // Awaited when its turn comes; a failure surfaces there.
        }
        delivered.push(await deliverOne(context, uidValidity, uid, sources.get(uid)));
        sources.delete(uid);
      }
      last = uid;
    }
  } catch (error) {
    // Mark what was delivered before it, then let the session retry from there.
    failure = error instanceof Error ? error : new Error(String(error));
  }
  if (delivered.length > 0 || (advance && last !== undefined)) {
    const marked = await markMessages(db, key, uidValidity, owner, delivered, {
      ...(advance && last !== undefined ? { advanceTo: last } : {}),
      ...(context.afterRun ? { afterRun: context.afterRun.action } : {}),
    });
    if (!marked) throw new LeaseLost(key);
    if (delivered.some((d) => d.status === 'delivered')) context.routeSoon?.();
  }
  if (failure !== undefined) throw failure;
  const done = delivered.filter((d) => d.status === 'delivered').map((d) => d.uid);
  if (context.afterRun && done.length > 0) {
    const problem = await carryOut(db, client, key, uidValidity, done, context.afterRun);
    if (problem) {
      context.log(`mail intake ${key.accountId}/${key.folder}: ${problem}`);
      await recordFolderError(db, key, problem);
    }
  }
  return { ...(last === undefined ? {} : { last }), busy };
}
