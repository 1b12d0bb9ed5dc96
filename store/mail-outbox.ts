import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';

// The outbox (migrations 0014, 0016): one row per message a (run, node) sends, with its exact
// bytes. Every status change is a compare-and-set on the status, so two attempts racing on one
// row never both hand it to SMTP. The states:
//   pending → sending → sent | pending (a definite temporary refusal) | failed (a permanent one)
//   sending → uncertain (the outcome is unknown: a person says whether it arrived) → sent | pending

export const outboxStatuses = ['pending', 'sending', 'sent', 'failed', 'uncertain'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export interface OutboxEntry {
  id: string;
  idempotencyKey: string;
  accountId?: string;
  messageId: string;
  workflowId?: string;
  runId?: string;
  nodeId?: string;
  recipients: string[];
  subject: string;
  status: OutboxStatus;
  attempts: number;
  approvedBy?: string;
  smtpResponse?: string;
  lastError?: string;
  sentFolder?: string;
  filedAt?: string;
  sentAt?: string;
  createdAt: string;
  updatedAt: string;
}

interface OutboxRow {
  id: string;
  idempotency_key: string;
  account_id: string | null;
  message_id: string;
  workflow_id: string | null;
  run_id: string | null;
  node_id: string | null;
  recipients: string[];
  subject: string;
  status: OutboxStatus;
  attempts: number;
  approved_by: string | null;
  smtp_response: string | null;
  last_error: string | null;
  sent_folder: string | null;
  filed_at: Date | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const columns = `id, idempotency_key, account_id, message_id, workflow_id, run_id, node_id, recipients, subject,
  status, attempts, approved_by, smtp_response, last_error, sent_folder, filed_at, sent_at, created_at, updated_at`;

function toEntry(row: OutboxRow): OutboxEntry {
  const optional = <K extends string>(key: K, value: string | null | undefined) =>
    (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    ...optional('accountId', row.account_id),
    messageId: row.message_id,
    ...optional('workflowId', row.workflow_id),
    ...optional('runId', row.run_id),
    ...optional('nodeId', row.node_id),
    recipients: row.recipients,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    ...optional('approvedBy', row.approved_by),
    ...optional('smtpResponse', row.smtp_response),
    ...optional('lastError', row.last_error),
    ...optional('sentFolder', row.sent_folder),
    ...optional('filedAt', row.filed_at?.toISOString()),
    ...optional('sentAt', row.sent_at?.toISOString()),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface OutboxDraft {
  idempotencyKey: string;
  accountId: string;
  messageId: string;
  recipients: string[];
  subject: string;
  raw: Buffer;
  approvedBy?: string;
  workflowId?: string;
  runId?: string;
  nodeId?: string;
}

/** Inserts the message under its key, or finds the row an earlier attempt inserted (with its bytes, not these). */
export async function insertOrFindOutbox(db: Queryable, draft: OutboxDraft): Promise<OutboxEntry> {
  await db.query(
    `insert into mail_outbox (id, idempotency_key, account_id, message_id, workflow_id, run_id, node_id,
       recipients, subject, raw, approved_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing`,
    [
      randomUUID(),
      draft.idempotencyKey,
      draft.accountId,
      draft.messageId,
      draft.workflowId ?? null,
      draft.runId ?? null,
      draft.nodeId ?? null,
      JSON.stringify(draft.recipients),
      draft.subject,
      draft.raw,
      draft.approvedBy ?? null,
    ],
  );
  const found = await getOutboxByKey(db, draft.idempotencyKey);
  if (!found) throw new Error(`Message-ID ${draft.messageId} is already in the outbox under another key`);
  return found;
}

export async function getOutboxByKey(db: Queryable, idempotencyKey: string): Promise<OutboxEntry | undefined> {
  const { rows } = await db.query<OutboxRow>(`select ${columns} from mail_outbox where idempotency_key = $1`, [
    idempotencyKey,
  ]);
  return rows[0] && toEntry(rows[0]);
}

export async function getOutbox(db: Queryable, id: string): Promise<OutboxEntry | undefined> {
  const { rows } = await db.query<OutboxRow>(`select ${columns} from mail_outbox where id = $1`, [id]);
  return rows[0] && toEntry(rows[0]);
}

/** The stored bytes: what every attempt sends. */
export async function getOutboxRaw(db: Queryable, id: string): Promise<Buffer> {
  const { rows } = await db.query<{ raw: Buffer }>('select raw from mail_outbox where id = $1', [id]);
  if (!rows[0]) throw new Error(`outbox message ${id} does not exist`);
  return rows[0].raw;
}

export async function listOutbox(
  db: Queryable,
  filters: { status?: OutboxStatus; limit?: number } = {},
): Promise<OutboxEntry[]> {
  const { rows } = await db.query<OutboxRow>(
    `select ${columns} from mail_outbox where ($1::text is null or status = $1)
     order by updated_at desc, id limit $2`,
    [filters.status ?? null, filters.limit ?? 100],
  );
  return rows.map(toEntry);
}

/** Moves a row from one of `from` to a new status; undefined when it was not in one of them (another attempt moved it). */
async function transition(
  db: Queryable,
  id: string,
  from: readonly OutboxStatus[],
  set: string,
  params: unknown[] = [],
): Promise<OutboxEntry | undefined> {
  const { rows } = await db.query<OutboxRow>(
    `update mail_outbox set ${set}, updated_at = now() where id = $1 and status = any($2::text[]) returning ${columns}`,
    [id, from, ...params],
  );
  return rows[0] && toEntry(rows[0]);
}

/** pending → sending, counting the attempt: only the attempt that wins this may talk to SMTP. */
export const claimForSending = (db: Queryable, id: string) =>
  transition(db, id, ['pending'], `status = 'sending', attempts = attempts + 1, last_error = null`);

/** The server accepted it (its reply), or a copy was found in the Sent folder. */
export const markOutboxSent = (db: Queryable, id: string, smtpResponse: string) =>
  transition(
    db,
    id,
    ['sending', 'uncertain'],
    `status = 'sent', smtp_response = coalesce(smtp_response, $3), sent_at = coalesce(sent_at, now())`,
    [smtpResponse.slice(0, 2000)],
  );

/** A copy is in the Sent folder (appended by us, or found there). */
export async function markOutboxFiled(db: Queryable, id: string, folder: string): Promise<void> {
  await db.query('update mail_outbox set sent_folder = $2, filed_at = coalesce(filed_at, now()) where id = $1', [
    id,
    folder,
  ]);
}

/** Notes a problem that did not change the status (e.g. the Sent APPEND failed after a 250). */
export async function noteOutboxError(db: Queryable, id: string, error: string): Promise<void> {
  await db.query('update mail_outbox set last_error = $2, updated_at = now() where id = $1', [
    id,
    error.slice(0, 2000),
  ]);
}

/** A definite refusal: back to pending (retryable) or failed (permanent). */
export const releaseOutbox = (db: Queryable, id: string, status: 'pending' | 'failed', error: string) =>
  transition(db, id, ['sending', 'uncertain'], `status = $3, last_error = $4`, [status, error.slice(0, 2000)]);

/** The outcome of a hand-off is unknown: nothing resends it until a person says whether it arrived. */
export const markOutboxUncertain = (db: Queryable, id: string, reason: string) =>
  transition(db, id, ['sending'], `status = 'uncertain', last_error = $3`, [reason.slice(0, 2000)]);

/** A person's answer for an uncertain message: it arrived (sent), or it did not (pending: the node's next retry sends it). */
export const resolveOutbox = (db: Queryable, id: string, sent: boolean, by: string) =>
  sent
    ? transition(
        db,
        id,
        ['uncertain'],
        `status = 'sent', smtp_response = coalesce(smtp_response, $3), sent_at = coalesce(sent_at, now())`,
        [`confirmed arrived by ${by}`],
      )
    : transition(db, id, ['uncertain'], `status = 'pending', last_error = $3`, [`not arrived, said ${by}`]);

/** How many messages went out from an account without a person since `since`, for autoSend's daily cap. */
export async function countAutoSentSince(db: Queryable, accountId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    `select count(*) from mail_outbox where account_id = $1 and approved_by = 'auto' and created_at >= $2
       and status <> 'failed'`,
    [accountId, since],
  );
  return Number(rows[0]?.count ?? 0);
}
