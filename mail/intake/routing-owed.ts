import type { Queryable } from '../../store/db.ts';
import type { FolderKey } from './folder-store.ts';

// The messages of a folder whose events are stored but not yet routed (mail_messages.dispatched_at,
// migration 0018), and the record of routing them: done, or failed so many times that the
// listener passed over it (the error is kept; POST /api/events/:id/route routes it again).

/** The mail_messages rows still owed their routing (stored as an event, not routed, not erased since). */
export const OWED_ROUTING = `status = 'delivered' and dispatched_at is null and event_id is not null`;

export interface OwedRouting {
  uidValidity: bigint;
  uid: number;
  eventId: string;
  attempts: number;
}

/** Delivered messages of the folder still owed their routing, oldest UID first. */
export async function owedRoutings(db: Queryable, key: FolderKey, limit: number): Promise<OwedRouting[]> {
  const { rows } = await db.query<{ uid_validity: string; uid: string; event_id: string; dispatch_attempts: number }>(
    `select uid_validity, uid, event_id, dispatch_attempts from mail_messages
     where account_id = $1 and folder = $2 and ${OWED_ROUTING}
     order by uid_validity, uid limit $3`,
    [key.accountId, key.folder, limit],
  );
  return rows.map((row) => ({
    uidValidity: BigInt(row.uid_validity),
    uid: Number(row.uid),
    eventId: row.event_id,
    attempts: row.dispatch_attempts,
  }));
}

/** Records these messages' events as routed, in one statement. */
export async function routingsDone(db: Queryable, key: FolderKey, done: OwedRouting[]): Promise<void> {
  if (done.length === 0) return;
  await db.query(
    `update mail_messages m set dispatched_at = now(), dispatch_error = null
     from unnest($3::bigint[], $4::bigint[]) as d(uid_validity, uid)
     where m.account_id = $1 and m.folder = $2 and m.uid_validity = d.uid_validity and m.uid = d.uid`,
    [key.accountId, key.folder, done.map((d) => d.uidValidity.toString()), done.map((d) => d.uid)],
  );
}

/** Counts a failed routing; `passOver` stops retrying it (its error stays on the row). */
export async function routingFailed(
  db: Queryable,
  key: FolderKey,
  owed: OwedRouting,
  error: string,
  passOver: boolean,
): Promise<void> {
  await db.query(
    `update mail_messages set dispatch_attempts = dispatch_attempts + 1, dispatch_error = $5,
       dispatched_at = case when $6 then now() end
     where account_id = $1 and folder = $2 and uid_validity = $3 and uid = $4`,
    [key.accountId, key.folder, owed.uidValidity.toString(), owed.uid, error.slice(0, 2000), passOver],
  );
}
