import type { Db, Queryable } from '../../store/db.ts';
import type { FolderKey } from './folder-store.ts';

// The claim of each message in PostgreSQL (mail_messages, migrations 0014 and 0017), a batch at a
// time: claimed before it is read, so two listeners never both take it; marked with the event it
// became in the same transaction that moves the folder's checkpoint; and, when the account asks
// for an after-run action, the action owed and the time it was carried out.

export type ClaimOutcome = 'claimed' | 'done' | 'busy';

/**
 * Claims messages in one statement: a new row is ours; an unmarked claim is taken over when it is
 * ours or older than a lease (its claimer died before marking it: ingest's idempotency key makes
 * the re-delivery the same event); a marked one is done; a fresh claim of another listener is busy.
 */
export async function claimMessages(
  db: Queryable,
  key: FolderKey,
  uidValidity: bigint,
  uids: number[],
  owner: string,
  staleMs: number,
): Promise<Map<number, ClaimOutcome>> {
  const outcomes = new Map<number, ClaimOutcome>();
  if (uids.length === 0) return outcomes;
  const { rows } = await db.query<{ uid: string }>(
    `insert into mail_messages (account_id, folder, uid_validity, uid, claimed_by)
     select $1, $2, $3, uid, $5 from unnest($4::bigint[]) as uid
     on conflict (account_id, folder, uid_validity, uid) do update
       set claimed_by = excluded.claimed_by, claimed_at = now()
       where mail_messages.status = 'claimed'
         and (mail_messages.claimed_by = excluded.claimed_by or mail_messages.claimed_at < now() - $6 * interval '1 millisecond')
     returning uid`,
    [key.accountId, key.folder, uidValidity.toString(), uids, owner, staleMs],
  );
  for (const row of rows) outcomes.set(Number(row.uid), 'claimed');
  const others = uids.filter((uid) => !outcomes.has(uid));
  if (others.length === 0) return outcomes;
  const existing = await db.query<{ uid: string; status: string }>(
    `select uid, status from mail_messages
     where account_id = $1 and folder = $2 and uid_validity = $3 and uid = any($4::bigint[])`,
    [key.accountId, key.folder, uidValidity.toString(), others],
  );
  for (const row of existing.rows) outcomes.set(Number(row.uid), row.status === 'claimed' ? 'busy' : 'done');
  return outcomes;
}

export interface Delivered {
  uid: number;
  eventId?: string;
  messageId?: string;
  rawSha256: string;
  sizeBytes: number;
  status: 'delivered' | 'failed';
  reason?: string;
}

export interface MarkOptions {
  /** Moves the checkpoint to this UID (the last of a delivered run of UIDs), counting the back-fill. */
  advanceTo?: number;
  /** The after-run action each delivered message is owed (none: read-only). */
  afterRun?: 'flag' | 'move';
}

/**
 * Marks claims with what their messages became and, in the same transaction, moves the checkpoint
 * (counting the marked messages into the back-fill while one runs). False when the lease was lost.
 */
export async function markMessages(
  db: Db,
  key: FolderKey,
  uidValidity: bigint,
  owner: string,
  delivered: Delivered[],
  options: MarkOptions = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (delivered.length > 0)
      await tx.query(
        `update mail_messages m set status = d.status, event_id = d.event_id, message_id = d.message_id,
           raw_sha256 = d.raw_sha256, size_bytes = d.size_bytes, reason = d.reason,
           after_run = case when d.status = 'delivered' then $5 end
         from unnest($6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[])
           as d(uid, status, event_id, message_id, raw_sha256, size_bytes, reason)
         where m.account_id = $1 and m.folder = $2 and m.uid_validity = $3 and m.uid = d.uid and m.claimed_by = $4`,
        [
          key.accountId,
          key.folder,
          uidValidity.toString(),
          owner,
          options.afterRun ?? null,
          delivered.map((d) => d.uid),
          delivered.map((d) => d.status),
          delivered.map((d) => d.eventId ?? null),
          delivered.map((d) => d.messageId?.slice(0, 1000) ?? null),
          delivered.map((d) => d.rawSha256),
          delivered.map((d) => d.sizeBytes),
          delivered.map((d) => d.reason?.slice(0, 2000) ?? null),
        ],
      );
    if (options.advanceTo === undefined) return true;
    const { rowCount } = await tx.query(
      `update mail_folder_state set last_uid = greatest(last_uid, $4),
         backfill_done = case when backfill_total is null then backfill_done
                              else least(backfill_total, backfill_done + $6) end,
         updated_at = now()
       where account_id = $1 and folder = $2 and lease_owner = $3 and uid_validity = $5`,
      [key.accountId, key.folder, owner, options.advanceTo, uidValidity.toString(), delivered.length],
    );
    return (rowCount ?? 0) > 0;
  });
}

/** Delivered messages of the folder whose after-run action was not confirmed yet, oldest first. */
export async function pendingAfterRun(
  db: Queryable,
  key: FolderKey,
  uidValidity: bigint,
  limit: number,
): Promise<number[]> {
  const { rows } = await db.query<{ uid: string }>(
    `select uid from mail_messages
     where account_id = $1 and folder = $2 and uid_validity = $3 and after_run is not null and after_run_at is null
     order by uid limit $4`,
    [key.accountId, key.folder, uidValidity.toString(), limit],
  );
  return rows.map((row) => Number(row.uid));
}

/** Records that the server confirmed the after-run action of these messages. */
export async function afterRunDone(db: Queryable, key: FolderKey, uidValidity: bigint, uids: number[]): Promise<void> {
  if (uids.length === 0) return;
  await db.query(
    `update mail_messages set after_run_at = now()
     where account_id = $1 and folder = $2 and uid_validity = $3 and uid = any($4::bigint[])
       and after_run is not null and after_run_at is null`,
    [key.accountId, key.folder, uidValidity.toString(), uids],
  );
}
