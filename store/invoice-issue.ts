import { totalsOf } from '../lib/money/totals.ts';
import type { InvoiceLine } from '../schemas/invoice.ts';
import { isUniqueViolation, type Db, type Queryable } from './db.ts';
import { datePattern, getInvoice, idForKey, InvoiceStateError, type StoredInvoice } from './invoices.ts';

// Issuing invoices. Numbers are gap-free per series: a number is taken in the same transaction
// that inserts the invoice, so a rolled-back attempt gives it back, and a voided invoice keeps
// its number for ever (bookkeeping wants every number accounted for).

export interface IssueInvoiceRequest {
  /** Stable across retries of the same intent: a retry returns the first invoice. */
  idempotencyKey: string;
  /** Numbering series, e.g. `INV-2026`; see `invoiceSeries`. */
  series: string;
  clientId: string;
  projectId?: string;
  currency: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  notes?: string;
  runId?: string;
}

export interface IssueResult {
  invoice: StoredInvoice;
  /** False when the key had already issued this invoice (a retry). */
  created: boolean;
}

/** The series an invoice is numbered in: one per prefix and year of issue (`INV-2026`). */
export function invoiceSeries(prefix: string, issueDate: string): string {
  return `${prefix}-${issueDate.slice(0, 4)}`;
}

/** `INV-2026` and 7 → `INV-2026-0007` (wider past 9999). */
export function formatInvoiceNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(4, '0')}`;
}

function checkRequest(request: IssueInvoiceRequest): void {
  const problems: string[] = [];
  if (!request.idempotencyKey) problems.push('idempotencyKey is empty');
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(request.series)) problems.push(`series ${request.series} is not a name`);
  if (!/^[A-Z]{3}$/.test(request.currency)) problems.push(`currency ${request.currency} is not ISO 4217`);
  if (!datePattern.test(request.issueDate) || !datePattern.test(request.dueDate))
    problems.push('dates must be YYYY-MM-DD');
  if (request.dueDate < request.issueDate) problems.push('dueDate is before issueDate');
  if (request.lines.length === 0) problems.push('an invoice needs at least one line');
  request.lines.forEach((line, index) => {
    if (line.position !== index + 1)
      problems.push(`line ${index} has position ${line.position}, expected ${index + 1}`);
  });
  if (problems.length > 0) throw new RangeError(`invoice not issued: ${problems.join('; ')}`);
}

/** Takes the series' counter row lock, then re-checks the key: a concurrent retry that won is seen here. */
async function insertUnderCounterLock(
  tx: Queryable,
  request: IssueInvoiceRequest,
): Promise<{ id: string; created: boolean }> {
  await tx.query('insert into invoice_counters (series) values ($1) on conflict (series) do nothing', [request.series]);
  await tx.query('select last_number from invoice_counters where series = $1 for update', [request.series]);
  const winner = await idForKey(tx, request.idempotencyKey);
  if (winner) return { id: winner, created: false };
  const { rows } = await tx.query<{ last_number: number }>(
    'update invoice_counters set last_number = last_number + 1 where series = $1 returning last_number',
    [request.series],
  );
  const sequence = rows[0]!.last_number;
  const totals = totalsOf(request.lines);
  const inserted = await tx.query<{ id: string }>(
    `insert into invoices (series, sequence, number, client_id, project_id, currency, issue_date, due_date,
       net_minor, tax_minor, total_minor, notes, idempotency_key, run_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
    [
      request.series,
      sequence,
      formatInvoiceNumber(request.series, sequence),
      request.clientId,
      request.projectId ?? null,
      request.currency,
      request.issueDate,
      request.dueDate,
      totals.netMinor,
      totals.taxMinor,
      totals.totalMinor,
      request.notes ?? null,
      request.idempotencyKey,
      request.runId ?? null,
    ],
  );
  const id = inserted.rows[0]!.id;
  // One statement for all lines: the series' counter stays locked only as long as it must.
  const column = <K extends keyof InvoiceLine>(key: K) => request.lines.map((line) => line[key]);
  await tx.query(
    `insert into invoice_lines (invoice_id, position, kind, description, quantity, unit_amount_minor, net_minor,
       tax_rate_basis_points, tax_minor)
     select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::numeric[], $6::bigint[], $7::bigint[],
       $8::int[], $9::bigint[])`,
    [
      id,
      column('position'),
      column('kind'),
      column('description'),
      column('quantity').map(String),
      column('unitAmountMinor'),
      column('netMinor'),
      column('taxRateBasisPoints'),
      column('taxMinor'),
    ],
  );
  return { id, created: true };
}

/**
 * Issues an invoice with the next number of its series, once per idempotency key. Any number
 * of concurrent or later attempts with the same key return the first invoice; none takes a
 * number, because the number and the invoice commit together or not at all.
 */
export async function issueInvoice(db: Db, request: IssueInvoiceRequest): Promise<IssueResult> {
  checkRequest(request);
  let outcome: { id: string; created: boolean };
  const earlier = await idForKey(db, request.idempotencyKey);
  if (earlier) {
    outcome = { id: earlier, created: false };
  } else {
    try {
      outcome = await db.transaction((tx) => insertUnderCounterLock(tx, request));
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw new InvoiceStateError(
          `invoice not issued: client ${request.clientId} or project ${request.projectId ?? '-'} does not exist`,
        );
      }
      // The same key raced in another series (a retry that crossed a year): the winner stands.
      if (!isUniqueViolation(error)) throw error;
      const winner = await idForKey(db, request.idempotencyKey);
      if (!winner) throw error;
      outcome = { id: winner, created: false };
    }
  }
  const invoice = await getInvoice(db, outcome.id);
  if (!invoice) throw new Error(`invoice ${outcome.id} vanished after it was issued`);
  return { invoice, created: outcome.created };
}
