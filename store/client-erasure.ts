// "Forget this client": deletes what the source of truth holds about one client, in one
// transaction, and destroys the client's payload key so its run histories can no longer be
// read. Invoices are kept for their legal retention period, stripped of what is not the
// invoice itself (notes); a client with invoices keeps an anonymous row they point to.
import type { Db, Queryable } from './db.ts';

export interface ErasureCounts {
  events: number;
  projects: number;
  projectRecords: number;
  corrections: number;
  routings: number;
  reviewTasks: number;
  memoryRecords: number;
  runsTerminated: number;
  invoicesKept: number;
  clientRow: 'deleted' | 'anonymised' | 'absent';
}

export interface ErasureRecord {
  clientId: string;
  erasedAt: string;
  erasedBy: string;
  reason: string;
  counts: ErasureCounts;
}

const count = async (tx: Queryable, sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount ?? 0;

// Review tasks carry the run's client in their arguments' context (the email, the draft).
const CLIENT_TASKS = `select id from review_tasks
  where jsonb_path_exists(jsonb_build_array(context, proposed, value), '$.** ? (@.clientId == $c)',
                          jsonb_build_object('c', $1::text))`;

/** Deletes the client's rows and records the erasure; memory records and runs are the caller's counts. */
export async function eraseClientRecords(
  db: Db,
  input: { clientId: string; erasedBy: string; reason: string; memoryRecords: number; runsTerminated: number },
): Promise<ErasureRecord> {
  const { clientId } = input;
  return db.transaction(async (tx) => {
    const projects = `select id from projects where client_id = $1`;
    // Events are append-only; the trigger lets retention delete, and erasure is retention brought forward.
    await tx.query(`set local trellis.retention = 'on'`);
    const events = await count(tx, `delete from events where client_id = $1 or project_id in (${projects})`, [
      clientId,
    ]);
    const projectRecords = await count(tx, `delete from project_records where project_id in (${projects})`, [clientId]);
    await tx.query(`update invoices set project_id = null where project_id in (${projects})`, [clientId]);
    const projectCount = await count(tx, 'delete from projects where client_id = $1', [clientId]);
    const corrections = await count(tx, 'delete from control_corrections where client_id = $1', [clientId]);
    const routings =
      (await count(tx, 'delete from control_routings where client_id = $1', [clientId])) +
      (await count(tx, 'delete from control_triage_choices where client_id = $1', [clientId])) +
      (await count(tx, 'delete from control_rule_suggestions where client_id = $1', [clientId]));
    await tx.query(`delete from review_transitions where task_id in (${CLIENT_TASKS})`, [clientId]);
    const reviewTasks = await count(tx, `delete from review_tasks where id in (${CLIENT_TASKS})`, [clientId]);
    const invoicesKept = await count(tx, 'update invoices set notes = null where client_id = $1', [clientId]);
    let clientRow: ErasureCounts['clientRow'];
    if (invoicesKept > 0) {
      const anonymised = await count(
        tx,
        `update clients set name = 'erased client', emails = '{}', domains = '{}', billing = '{}',
           metadata = jsonb_build_object('erased', true) where id = $1`,
        [clientId],
      );
      clientRow = anonymised > 0 ? 'anonymised' : 'absent';
    } else clientRow = (await count(tx, 'delete from clients where id = $1', [clientId])) > 0 ? 'deleted' : 'absent';

    const counts: ErasureCounts = {
      events,
      projects: projectCount,
      projectRecords,
      corrections,
      routings,
      reviewTasks,
      memoryRecords: input.memoryRecords,
      runsTerminated: input.runsTerminated,
      invoicesKept,
      clientRow,
    };
    // The key goes; the row stays as the record of the erasure (and a client that never had a key gets one).
    const { rows } = await tx.query<{ erased_at: Date }>(
      `insert into client_keys (client_id, sealed_key, erased_at, erased_by, erase_reason, erased_counts)
         values ($1, null, now(), $2, $3, $4)
       on conflict (client_id) do update set sealed_key = null, erased_at = now(), erased_by = excluded.erased_by,
         erase_reason = excluded.erase_reason, erased_counts = excluded.erased_counts
       returning erased_at`,
      [clientId, input.erasedBy, input.reason, JSON.stringify(counts)],
    );
    return {
      clientId,
      erasedAt: (rows[0] as { erased_at: Date }).erased_at.toISOString(),
      erasedBy: input.erasedBy,
      reason: input.reason,
      counts,
    };
  });
}

/** The erasure recorded for a client, if it was forgotten. */
export async function getErasure(db: Queryable, clientId: string): Promise<ErasureRecord | undefined> {
  const { rows } = await db.query<{
    erased_at: Date;
    erased_by: string;
    erase_reason: string | null;
    erased_counts: ErasureCounts;
  }>(
    'select erased_at, erased_by, erase_reason, erased_counts from client_keys where client_id = $1 and erased_at is not null',
    [clientId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    clientId,
    erasedAt: row.erased_at.toISOString(),
    erasedBy: row.erased_by,
    reason: row.erase_reason ?? '',
    counts: row.erased_counts,
  };
}
