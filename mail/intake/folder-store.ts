import type { Queryable } from '../../store/db.ts';
import { OWED_ROUTING } from './routing-owed.ts';

// The intake's rows in PostgreSQL (migration 0014): the lease and checkpoint of a watched folder
// (mail_folder_state; the claims of its messages are in message-claims.ts). Every write that
// matters is conditional on the caller still holding the lease, so a listener that lost its lease
// (paused, partitioned) can no longer move a checkpoint another listener now owns.

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

export interface FolderStatus {
  folder: string;
  uidValidity?: string;
  lastUid: number;
  backfill?: { total: number; done: number };
  /** Days of a back-fill asked for and not finished yet. */
  backfillRequestedDays?: number;
  /** Messages stored as events and not routed yet (mail/intake/routing-pump.ts). */
  routingOwed: number;
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
      routing_owed: number;
    }
  >(
    `select s.*, (select count(*)::int from mail_messages m
        where m.account_id = s.account_id and m.folder = s.folder and ${OWED_ROUTING}) as routing_owed
     from mail_folder_state s where s.account_id = $1 order by s.folder`,
    [accountId],
  );
  return rows.map((row) => ({
    folder: row.folder,
    ...(row.uid_validity === null ? {} : { uidValidity: String(row.uid_validity) }),
    lastUid: Number(row.last_uid),
    ...(row.backfill_total === null ? {} : { backfill: { total: row.backfill_total, done: row.backfill_done } }),
    ...(row.backfill_requested_days === null ? {} : { backfillRequestedDays: row.backfill_requested_days }),
    ...(row.lease_owner ? { leaseOwner: row.lease_owner } : {}),
    ...(row.lease_until ? { leaseUntil: row.lease_until.toISOString() } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    routingOwed: row.routing_owed,
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

/** `handled` more messages of a requested back-fill handled (a number), or finished (clears the request unless a new one replaced it). */
export async function backfillProgress(
  db: Queryable,
  key: FolderKey,
  owner: string,
  progress: number | { finishedDays: number },
): Promise<void> {
  await db.query(
    typeof progress === 'number'
      ? `update mail_folder_state set backfill_done = least(backfill_done + $4, coalesce(backfill_total, 0)), updated_at = now()
         where account_id = $1 and folder = $2 and lease_owner = $3`
      : `update mail_folder_state set backfill_requested_days = null, updated_at = now()
         where account_id = $1 and folder = $2 and lease_owner = $3 and backfill_requested_days = $4`,
    [key.accountId, key.folder, owner, typeof progress === 'number' ? progress : progress.finishedDays],
  );
}
