import { sha256Hex } from '../lib/sha256.ts';
import type { Invoice, InvoiceLine } from '../schemas/invoice.ts';
import type { Queryable } from './db.ts';

// Invoices in the source of truth: reading them, their state changes (void, paid) and their PDF.
// Issuing, with its gap-free numbering, is in invoice-issue.ts.

export type InvoiceStatus = Invoice['status'];

/** An invoice with what the store keeps beside the contract. */
export type StoredInvoice = Invoice & {
  series: string;
  sequence: number;
  paidAt?: string;
  voidedAt?: string;
  voidReason?: string;
};

export class InvoiceStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvoiceStateError';
  }
}

/** A calendar date as the store takes it: YYYY-MM-DD. */
export const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** The id of the invoice an idempotency key issued. */
export async function idForKey(db: Queryable, idempotencyKey: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('select id from invoices where idempotency_key = $1', [
    idempotencyKey,
  ]);
  return rows[0]?.id;
}

interface InvoiceRow {
  id: string;
  series: string;
  sequence: number;
  number: string;
  client_id: string;
  project_id: string | null;
  currency: string;
  issue_date: string;
  due_date: string;
  status: InvoiceStatus;
  net_minor: number;
  tax_minor: number;
  total_minor: number;
  notes: string | null;
  pdf_sha256: string | null;
  run_id: string | null;
  created_at: Date;
  paid_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
}

interface LineRow {
  invoice_id: string;
  position: number;
  kind: InvoiceLine['kind'];
  description: string;
  quantity: number;
  unit_amount_minor: number;
  net_minor: number;
  tax_rate_basis_points: number;
  tax_minor: number;
}

// Dates as text: pg would turn a `date` into a local-midnight Date, which shifts with the time zone.
const invoiceColumns = `i.id, i.series, i.sequence, i.number, i.client_id, i.project_id, i.currency,
  i.issue_date::text as issue_date, i.due_date::text as due_date, i.status, i.net_minor, i.tax_minor,
  i.total_minor, i.notes, i.pdf_sha256, i.run_id, i.created_at, i.paid_at, i.voided_at, i.void_reason`;

function toInvoice(row: InvoiceRow, lines: LineRow[]): StoredInvoice {
  return {
    id: row.id,
    number: row.number,
    series: row.series,
    sequence: row.sequence,
    clientId: row.client_id,
    ...(row.project_id ? { projectId: row.project_id } : {}),
    currency: row.currency,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    status: row.status,
    lines: lines.map((line) => ({
      position: line.position,
      kind: line.kind,
      description: line.description,
      quantity: line.quantity,
      unitAmountMinor: line.unit_amount_minor,
      netMinor: line.net_minor,
      taxRateBasisPoints: line.tax_rate_basis_points,
      taxMinor: line.tax_minor,
    })),
    netMinor: row.net_minor,
    taxMinor: row.tax_minor,
    totalMinor: row.total_minor,
    ...(row.notes !== null ? { notes: row.notes } : {}),
    ...(row.pdf_sha256 ? { pdfSha256: row.pdf_sha256 } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.run_id ? { runId: row.run_id } : {}),
    ...(row.paid_at ? { paidAt: row.paid_at.toISOString() } : {}),
    ...(row.voided_at ? { voidedAt: row.voided_at.toISOString() } : {}),
    ...(row.void_reason !== null ? { voidReason: row.void_reason } : {}),
  };
}

/** Rows with their lines, fetched in one more query. */
async function withLines<R extends InvoiceRow>(db: Queryable, rows: R[]): Promise<(StoredInvoice & { row: R })[]> {
  if (rows.length === 0) return [];
  const { rows: lines } = await db.query<LineRow>(
    `select invoice_id, position, kind, description, quantity, unit_amount_minor, net_minor, tax_rate_basis_points,
       tax_minor from invoice_lines where invoice_id = any($1) order by invoice_id, position`,
    [rows.map((row) => row.id)],
  );
  const byInvoice = Map.groupBy(lines, (line) => line.invoice_id);
  return rows.map((row) => ({ ...toInvoice(row, byInvoice.get(row.id) ?? []), row }));
}

function withoutRow<T extends { row: unknown }>({ row: _row, ...rest }: T): Omit<T, 'row'> {
  return rest;
}

export async function getInvoice(db: Queryable, id: string): Promise<StoredInvoice | undefined> {
  const { rows } = await db.query<InvoiceRow>(`select ${invoiceColumns} from invoices i where i.id = $1`, [id]);
  const [invoice] = await withLines(db, rows);
  return invoice && withoutRow(invoice);
}

export async function getInvoiceByNumber(db: Queryable, number: string): Promise<StoredInvoice | undefined> {
  const { rows } = await db.query<InvoiceRow>(`select ${invoiceColumns} from invoices i where i.number = $1`, [number]);
  const [invoice] = await withLines(db, rows);
  return invoice && withoutRow(invoice);
}

/** The invoice an idempotency key issued, if any (a saga's compensation looks it up this way). */
export async function getInvoiceByKey(db: Queryable, idempotencyKey: string): Promise<StoredInvoice | undefined> {
  const id = await idForKey(db, idempotencyKey);
  return id === undefined ? undefined : getInvoice(db, id);
}

/** Just the fields of the Invoice contract (schemas/invoice.ts), for ports that validate against it. */
export function toInvoiceContract(stored: StoredInvoice): Invoice {
  const {
    series: _series,
    sequence: _sequence,
    paidAt: _paid,
    voidedAt: _voided,
    voidReason: _reason,
    ...invoice
  } = stored;
  return invoice;
}

export interface InvoiceFilters {
  clientId?: string;
  projectId?: string;
  series?: string;
  status?: InvoiceStatus | InvoiceStatus[];
  /** Inclusive bounds on the issue date, YYYY-MM-DD. */
  issuedFrom?: string;
  issuedTo?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

/** Invoices matching every filter given, newest first (issue date, then number). */
export async function listInvoices(db: Queryable, filters: InvoiceFilters = {}): Promise<StoredInvoice[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filters.clientId) add('i.client_id = ?', filters.clientId);
  if (filters.projectId) add('i.project_id = ?', filters.projectId);
  if (filters.series) add('i.series = ?', filters.series);
  if (filters.status) add('i.status = any(?)', [filters.status].flat());
  if (filters.issuedFrom) add('i.issue_date >= ?', filters.issuedFrom);
  if (filters.issuedTo) add('i.issue_date <= ?', filters.issuedTo);
  params.push(Math.min(Math.max(filters.limit ?? 100, 1), 1000), Math.max(filters.offset ?? 0, 0));
  const { rows } = await db.query<InvoiceRow>(
    `select ${invoiceColumns} from invoices i ${where.length ? `where ${where.join(' and ')}` : ''}
     order by i.issue_date desc, i.series desc, i.sequence desc limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return (await withLines(db, rows)).map(withoutRow);
}

export type OverdueInvoice = StoredInvoice & { clientName: string; daysOverdue: number };

/** Issued, unpaid invoices whose due date is before `asOf` (YYYY-MM-DD), longest overdue first: what a reminder needs. */
export async function listOverdueInvoices(db: Queryable, asOf: string): Promise<OverdueInvoice[]> {
  if (!datePattern.test(asOf)) throw new RangeError(`asOf ${asOf} is not YYYY-MM-DD`);
  const { rows } = await db.query<InvoiceRow & { client_name: string; days_overdue: number }>(
    `select ${invoiceColumns}, c.name as client_name, ($1::date - i.due_date) as days_overdue
     from invoices i join clients c on c.id = i.client_id
     where i.status = 'issued' and i.due_date < $1::date
     order by i.due_date, i.series, i.sequence`,
    [asOf],
  );
  return (await withLines(db, rows)).map(({ row, ...invoice }) => ({
    ...invoice,
    clientName: row.client_name,
    daysOverdue: row.days_overdue,
  }));
}

/** Moves an issued invoice to `to`; the same move again is a no-op, any other move is refused. */
async function transition(
  db: Queryable,
  id: string,
  to: 'paid' | 'void',
  sql: string,
  params: unknown[],
): Promise<StoredInvoice> {
  await db.query(sql, [id, ...params]);
  const invoice = await getInvoice(db, id);
  if (!invoice) throw new InvoiceStateError(`invoice ${id} does not exist`);
  if (invoice.status !== to) {
    const why = to === 'void' ? 'a paid invoice is corrected with a credit note' : 'a void invoice cannot be paid';
    throw new InvoiceStateError(`invoice ${invoice.number} is ${invoice.status}, not ${to}: ${why}`);
  }
  return invoice;
}

/**
 * Voids an issued invoice: the compensation of issuing it. It keeps its number, which is never
 * reused; the next invoice continues the series. Voiding twice keeps the first reason.
 */
export function voidInvoice(db: Queryable, id: string, reason: string): Promise<StoredInvoice> {
  return transition(
    db,
    id,
    'void',
    `update invoices set status = 'void', void_reason = $2, voided_at = now() where id = $1 and status = 'issued'`,
    [reason],
  );
}

/** Records payment of an issued invoice; paying twice keeps the first date. */
export function markPaid(db: Queryable, id: string, paidAt: Date = new Date()): Promise<StoredInvoice> {
  return transition(
    db,
    id,
    'paid',
    `update invoices set status = 'paid', paid_at = $2 where id = $1 and status = 'issued'`,
    [paidAt],
  );
}

/**
 * Stores the invoice's PDF and its sha256. Storing the same bytes again is a no-op; different
 * bytes are refused, because the document a client received must not change under them.
 */
export async function storeInvoicePdf(db: Queryable, id: string, pdf: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(pdf);
  const { rowCount } = await db.query(
    `update invoices set pdf = $2, pdf_sha256 = $3 where id = $1 and (pdf_sha256 is null or pdf_sha256 = $3)`,
    [id, Buffer.from(pdf), sha256],
  );
  if (rowCount === 0) {
    const existing = await getInvoice(db, id);
    if (!existing) throw new InvoiceStateError(`invoice ${id} does not exist`);
    throw new InvoiceStateError(`invoice ${existing.number} already has a different PDF (${existing.pdfSha256})`);
  }
  return sha256;
}

export async function getInvoicePdf(db: Queryable, id: string): Promise<Buffer | undefined> {
  const { rows } = await db.query<{ pdf: Buffer | null }>('select pdf from invoices where id = $1', [id]);
  return rows[0]?.pdf ?? undefined;
}

/** The client as an invoice addresses it: its name and the free-form `billing` record. */
export interface InvoiceClient {
  id: string;
  name: string;
  emails: string[];
  billing: Record<string, unknown>;
}

// Reads only what an invoice needs; clients themselves are managed by store/clients.ts.
export async function getInvoiceClient(db: Queryable, clientId: string): Promise<InvoiceClient | undefined> {
  const { rows } = await db.query<InvoiceClient>('select id, name, emails, billing from clients where id = $1', [
    clientId,
  ]);
  return rows[0];
}
