import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { decodeCursor, page, pageLimit, type Page } from './paging.ts';

// Clients. Addresses and domains are stored lower-case so lookups by sender are exact matches.
// Their projects are in projects.ts, the records where outcomes are finalised in project-records.ts.

export interface Client {
  id: string;
  name: string;
  emails: string[];
  domains: string[];
  billing: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: string;
}

interface ClientRow {
  id: string;
  name: string;
  emails: string[];
  domains: string[];
  billing: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: Date;
}

const toClient = (row: ClientRow): Client => ({
  id: row.id,
  name: row.name,
  emails: row.emails,
  domains: row.domains,
  billing: row.billing,
  metadata: row.metadata,
  createdAt: row.created_at.toISOString(),
});

/** `Jane@Example.COM ` → `jane@example.com`; `@Example.com` → `example.com`. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}

export const unique = (values: string[]) => [...new Set(values)];

export interface NewClient {
  id?: string;
  name: string;
  emails?: string[];
  domains?: string[];
  billing?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export async function createClient(db: Queryable, client: NewClient): Promise<Client> {
  const { rows } = await db.query<ClientRow>(
    `insert into clients (id, name, emails, domains, billing, metadata)
     values ($1, $2, $3, $4, $5, $6) returning *`,
    [
      client.id ?? randomUUID(),
      client.name,
      unique((client.emails ?? []).map(normalizeEmail)),
      unique((client.domains ?? []).map(normalizeDomain)),
      JSON.stringify(client.billing ?? {}),
      JSON.stringify(client.metadata ?? {}),
    ],
  );
  return toClient(rows[0]!);
}

export type ClientChanges = Partial<Omit<NewClient, 'id'>>;

/** Replaces the given fields; returns undefined when there is no such client. */
export async function updateClient(db: Queryable, id: string, changes: ClientChanges): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow>(
    `update clients set
       name = coalesce($2, name),
       emails = coalesce($3, emails),
       domains = coalesce($4, domains),
       billing = coalesce($5, billing),
       metadata = coalesce($6, metadata)
     where id = $1 returning *`,
    [
      id,
      changes.name ?? null,
      changes.emails ? unique(changes.emails.map(normalizeEmail)) : null,
      changes.domains ? unique(changes.domains.map(normalizeDomain)) : null,
      changes.billing ? JSON.stringify(changes.billing) : null,
      changes.metadata ? JSON.stringify(changes.metadata) : null,
    ],
  );
  return rows[0] && toClient(rows[0]);
}

export async function getClient(db: Queryable, id: string): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow>('select * from clients where id = $1', [id]);
  return rows[0] && toClient(rows[0]);
}

export interface ClientQuery {
  /** Case-insensitive substring of the name, an email or a domain. */
  search?: string;
  limit?: number;
  cursor?: string;
}

/** Clients by name (then id), a page at a time. */
export async function listClients(db: Queryable, query: ClientQuery = {}): Promise<Page<Client>> {
  const limit = pageLimit(query.limit);
  const [afterName, afterId] = query.cursor ? decodeCursor(query.cursor, 2) : [null, null];
  const { rows } = await db.query<ClientRow>(
    `select * from clients
     where ($1::text is null or (name, id) > ($1, $2))
       and ($3::text is null
            or name ilike '%' || $3 || '%'
            or exists (select 1 from unnest(emails || domains) as address where address ilike '%' || $3 || '%'))
     order by name, id limit $4`,
    [afterName, afterId, query.search?.trim() || null, limit + 1],
  );
  return page(rows, limit, toClient, (row) => [row.name, row.id]);
}

/**
 * The client a sender belongs to: an exact email match first, else a match on the
 * address's domain. Never guesses: when two clients claim the address or the domain,
 * returns undefined.
 */
export async function findClientByAddress(db: Queryable, address: string): Promise<Client | undefined> {
  const email = normalizeEmail(address);
  const byEmail = await db.query<ClientRow>('select * from clients where $1 = any(emails) order by id limit 2', [
    email,
  ]);
  if (byEmail.rows.length > 0) return byEmail.rows.length === 1 ? toClient(byEmail.rows[0]!) : undefined;
  const domain = email.includes('@') ? normalizeDomain(email.slice(email.lastIndexOf('@') + 1)) : '';
  if (!domain) return undefined;
  const byDomain = await db.query<ClientRow>('select * from clients where $1 = any(domains) order by id limit 2', [
    domain,
  ]);
  return byDomain.rows.length === 1 ? toClient(byDomain.rows[0]!) : undefined;
}
