import type { Db, Queryable } from '../../store/db.ts';

// The intake's rows in PostgreSQL (migration 0014): the lease and checkpoint of a watched folder
// (mail_folder_state) and the claim of each message (mail_messages). Every write that matters is
// conditional on the caller still holding the lease or the claim, so a listener that lost its
// lease (paused, partitioned) can no longer move a checkpoint another listener now owns.

export interface FolderKey {
  accountId: string;
  folder: string;
}

export interface Checkpoint {
  uidValidity?: bigint;
  lastUid: number;
  backfillTotal?: number;
  backfillDone: number;
}

interface CheckpointRow {
  uid_validity: string | null;
  last_uid: string;
  backfill_total: number | null;
  backfill_done: number;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  ...(row.uid_validity === null ? {} : { uidValidity: BigInt(row.uid_validity) }),
  lastUid: Number(row.last_uid),
  ...(row.backfill_total === null ? {} : { backfillTotal: row.backfill_total }),
  backfillDone: row.backfill_done,
});

/**
 * Takes (or renews) the folder's lease for `owner`: only a free, expired or already-owned lease is
 * taken. Answers the checkpoint when taken, undefined when another listener holds it.
 */
export async function takeLease(
  db: Queryable,
  key: FolderKey,
  owner: string,
  leaseMs: number,
): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<CheckpointRow>(
    `insert into mail_folder_state (account_id, folder, lease_owner, lease_until)
     values ($1, $2, $3, now() + $4 * interval '1 millisecond')
     on conflict (account_id, folder) do update
       set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, updated_at = now()
       where mail_folder_state.lease_owner is null or mail_folder_state.lease_owner = excluded.lease_owner
          or mail_folder_state.lease_until is null or mail_folder_state.lease_until < now()
     returning uid_validity, last_uid, backfill_total, backfill_done`,
    [key.accountId, key.folder, owner, leaseMs],
  );
  return rows[0] && toCheckpoint(rows[0]);
}

/** Extends a lease this owner holds; false when it was lost (expired and taken by another listener). */
export async function renewLease(db: Queryable, key: FolderKey, owner: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `update mail_folder_state set lease_until = now() + $4 * interval '1 millisecond'
     where account_id = $1 and folder = $2 and lease_owner = $3`,
    [key.accountId, key.folder, owner, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}

export async function releaseLease(db: Queryable, key: FolderKey, owner: string): Promise<void> {
  await db.query(
    `update mail_folder_state set lease_owner = null, lease_until = null
     where account_id = $1 and folder = $2 and lease_owner = $3`,
    [key.accountId, key.folder, owner],
  );
}

/** A new starting point: first connection, a changed UIDVALIDITY, or a back-fill. */
export async function resetCheckpoint(
  db: Queryable,
  key: FolderKey,
  owner: string,
  start: { uidValidity: bigint; lastUid: number; backfillTotal: number; note?: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update mail_folder_state set uid_validity = $4, last_uid = $5, backfill_total = $6, backfill_done = 0,
       last_error = $7, updated_at = now()
     where account_id = $1 and folder = $2 and lease_owner = $3`,
    [
      key.accountId,
      key.folder,
      owner,
      start.uidValidity.toString(),
      start.lastUid,
      start.backfillTotal,
      start.note ?? null,
    ],
  );
  return (rowCount ?? 0) > 0;
}

export async function recordFolderError(db: Queryable, key: FolderKey, error: string | null): Promise<void> {
  await db.query(
    'update mail_folder_state set last_error = $3, updated_at = now() where account_id = $1 and folder = $2',
    [key.accountId, key.folder, error?.slice(0, 2000) ?? null],
  );
}

export type ClaimOutcome = 'claimed' | 'done' | 'busy';

/**
 * Claims one message in PostgreSQL: a new row is ours; an unmarked claim is taken over when it is
 * ours or older than a lease (its claimer died before marking it: ingest's idempotency key makes
 * the re-delivery the same event); a marked one is done.
 */
export async function claimMessage(
  db: Queryable,
  key: FolderKey,
  uidValidity: bigint,
  uid: number,
  owner: string,
  staleMs: number,
): Promise<ClaimOutcome> {
  const { rows } = await db.query<{ claimed_by: string; status: string }>(
    `insert into mail_messages (account_id, folder, uid_validity, uid, claimed_by)
     values ($1, $2, $3, $4, $5)
     on conflict (account_id, folder, uid_validity, uid) do update
       set claimed_by = excluded.claimed_by, claimed_at = now()
       where mail_messages.status = 'claimed'
         and (mail_messages.claimed_by = excluded.claimed_by or mail_messages.claimed_at < now() - $6 * interval '1 millisecond')
     returning claimed_by, status`,
    [key.accountId, key.folder, uidValidity.toString(), uid, owner, staleMs],
  );
  if (rows[0]) return 'claimed';
  const existing = await db.query<{ status: string }>(
    'select status from mail_messages where account_id = $1 and folder = $2 and uid_validity = $3 and uid = $4',
    [key.accountId, key.folder, uidValidity.toString(), uid],
  );
  return existing.rows[0]?.status === 'claimed' ? 'busy' : 'done';
}

export interface Delivered {
  eventId?: string;
  messageId?: string;
  rawSha256: string;
  sizeBytes: number;
  status: 'delivered' | 'failed';
  reason?: string;
}

/**
 * Marks the claim with what the message became and, in the same transaction, moves the checkpoint
 * past it (counting it into the back-fill while one runs). False when the lease was lost.
 */
export async function markDelivered(
  db: Db,
  key: FolderKey,
  uidValidity: bigint,
  uid: number,
  owner: string,
  delivered: Delivered,
  advance: boolean,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query(
      `update mail_messages set status = $6, event_id = $7, message_id = $8, raw_sha256 = $9, size_bytes = $10, reason = $11
       where account_id = $1 and folder = $2 and uid_validity = $3 and uid = $4 and claimed_by = $5`,
      [
        key.accountId,
        key.folder,
        uidValidity.toString(),
        uid,
        owner,
        delivered.status,
        delivered.eventId ?? null,
        delivered.messageId?.slice(0, 1000) ?? null,
        delivered.rawSha256,
        delivered.sizeBytes,
        delivered.reason?.slice(0, 2000) ?? null,
      ],
    );
    if (!advance) return true;
    const { rowCount } = await tx.query(
      `update mail_folder_state set last_uid = greatest(last_uid, $4),
         backfill_done = case when backfill_total is not null and backfill_done < backfill_total
                              then backfill_done + 1 else backfill_done end,
         updated_at = now()
       where account_id = $1 and folder = $2 and lease_owner = $3 and uid_validity = $5`,
      [key.accountId, key.folder, owner, uid, uidValidity.toString()],
    );
    return (rowCount ?? 0) > 0;
  });
}

/** Moves the checkpoint past UIDs that need nothing (claimed and marked before). */
export async function advanceCheckpoint(
  db: Queryable,
  key: FolderKey,
  owner: string,
  uidValidity: bigint,
  uid: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update mail_folder_state set last_uid = greatest(last_uid, $4), updated_at = now()
     where account_id = $1 and folder = $2 and lease_owner = $3 and uid_validity = $5`,
    [key.accountId, key.folder, owner, uid, uidValidity.toString()],
  );
  return (rowCount ?? 0) > 0;
}

export interface FolderStatus {
  folder: string;
  uidValidity?: string;
  lastUid: number;
  backfill?: { total: number; done: number };
  /** Days of a back-fill asked for and not finished yet. */
  backfillRequestedDays?: number;
  leaseOwner?: string;
  leaseUntil?: string;
  lastError?: string;
  updatedAt: string;
}

export async function folderStatuses(db: Queryable, accountId: string): Promise<FolderStatus[]> {
  const { rows } = await db.query<
    CheckpointRow & {
      folder: string;
      lease_owner: string | null;
      lease_until: Date | null;
      last_error: string | null;
      updated_at: Date;
      backfill_requested_days: number | null;
    }
  >('select * from mail_folder_state where account_id = $1 order by folder', [accountId]);
  return rows.map((row) => ({
    folder: row.folder,
    ...(row.uid_validity === null ? {} : { uidValidity: String(row.uid_validity) }),
    lastUid: Number(row.last_uid),
    ...(row.backfill_total === null ? {} : { backfill: { total: row.backfill_total, done: row.backfill_done } }),
    ...(row.backfill_requested_days === null ? {} : { backfillRequestedDays: row.backfill_requested_days }),
    ...(row.lease_owner ? { leaseOwner: row.lease_owner } : {}),
    ...(row.lease_until ? { leaseUntil: row.lease_until.toISOString() } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    updatedAt: row.updated_at.toISOString(),
  }));
}

/** Asks for a back-fill of every watched folder of the account (a folder not seen yet gets a row). */
export async function requestBackfill(
  db: Queryable,
  accountId: string,
  folders: string[],
  days: number,
): Promise<void> {
  await db.query(
    `insert into mail_folder_state (account_id, folder, backfill_requested_days)
     select $1, folder, $3 from unnest($2::text[]) as folder
     on conflict (account_id, folder) do update set backfill_requested_days = excluded.backfill_requested_days, updated_at = now()`,
    [accountId, folders, days],
  );
}

/** The back-fill requested for a folder whose lease this owner holds, if any. */
export async function requestedBackfill(db: Queryable, key: FolderKey, owner: string): Promise<number | undefined> {
  const { rows } = await db.query<{ days: number | null }>(
    `select backfill_requested_days as days from mail_folder_state
     where account_id = $1 and folder = $2 and lease_owner = $3`,
    [key.accountId, key.folder, owner],
  );
  return rows[0]?.days ?? undefined;
}

/** Starts counting a requested back-fill's progress. */
export async function startBackfill(db: Queryable, key: FolderKey, owner: string, total: number): Promise<void> {
  await db.query(
    `update mail_folder_state set backfill_total = $4, backfill_done = 0, updated_at = now()
     where account_id = $1 and folder = $2 and lease_owner = $3`,
    [key.accountId, key.folder, owner, total],
  );
}

/** One more message of a requested back-fill handled; `finished` clears the request (unless a new one replaced it). */
export async function backfillProgress(
  db: Queryable,
  key: FolderKey,
  owner: string,
  finished?: { days: number },
): Promise<void> {
  await db.query(
    finished
      ? `update mail_folder_state set backfill_requested_days = null, updated_at = now()
         where account_id = $1 and folder = $2 and lease_owner = $3 and backfill_requested_days = $4`
      : `update mail_folder_state set backfill_done = least(backfill_done + 1, coalesce(backfill_total, 0)), updated_at = now()
         where account_id = $1 and folder = $2 and lease_owner = $3`,
    finished ? [key.accountId, key.folder, owner, finished.days] : [key.accountId, key.folder, owner],
  );
}
