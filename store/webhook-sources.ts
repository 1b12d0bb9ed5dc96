import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.ts';

// Where signed deliveries come from. Each source has its own HMAC secret (needed in clear to
// verify signatures, so it lives here and is shown once at creation), its kind (which parser
// reads its bodies) and its rate limit. Seen signatures are kept for the timestamp tolerance,
// so a captured request cannot be played again while its timestamp is still accepted.

export const webhookSourceKinds = ['webhook', 'email', 'form', 'document'] as const;
export type WebhookSourceKind = (typeof webhookSourceKinds)[number];

export interface WebhookSource {
  name: string;
  kind: WebhookSourceKind;
  rateLimitPerMinute: number;
  createdAt: string;
}

export interface WebhookSourceWithSecret extends WebhookSource {
  secret: string;
}

interface SourceRow {
  name: string;
  kind: WebhookSourceKind;
  secret: string;
  rate_limit_per_minute: number;
  created_at: Date;
}

const toSource = (row: SourceRow): WebhookSourceWithSecret => ({
  name: row.name,
  kind: row.kind,
  rateLimitPerMinute: row.rate_limit_per_minute,
  createdAt: row.created_at.toISOString(),
  secret: row.secret,
});

export function withoutSecret({ secret: _secret, ...source }: WebhookSourceWithSecret): WebhookSource {
  return source;
}

/** Creates a source with a fresh secret; undefined when the name is taken. */
export async function createWebhookSource(
  db: Queryable,
  source: { name: string; kind: WebhookSourceKind; rateLimitPerMinute?: number },
): Promise<WebhookSourceWithSecret | undefined> {
  const { rows } = await db.query<SourceRow>(
    `insert into webhook_sources (name, kind, secret, rate_limit_per_minute) values ($1, $2, $3, $4)
     on conflict (name) do nothing returning *`,
    [source.name, source.kind, `whsec_${randomBytes(32).toString('base64url')}`, source.rateLimitPerMinute ?? 600],
  );
  return rows[0] && toSource(rows[0]);
}

export async function getWebhookSource(db: Queryable, name: string): Promise<WebhookSourceWithSecret | undefined> {
  const { rows } = await db.query<SourceRow>('select * from webhook_sources where name = $1', [name]);
  return rows[0] && toSource(rows[0]);
}

export async function listWebhookSources(db: Queryable): Promise<WebhookSource[]> {
  const { rows } = await db.query<SourceRow>('select * from webhook_sources order by name');
  return rows.map((row) => withoutSecret(toSource(row)));
}

/**
 * Remembers a signature; false when this source has seen it before (a replay). The primary
 * key settles concurrent replays: exactly one insert wins.
 */
export async function rememberSignature(
  db: Queryable,
  source: string,
  signature: string,
  signedAt: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into webhook_signatures (source, signature, signed_at) values ($1, $2, $3)
     on conflict (source, signature) do nothing`,
    [source, signature, signedAt],
  );
  return (rowCount ?? 0) > 0;
}

/** Forgets signatures signed before `before`: the timestamp check refuses them anyway. */
export async function pruneSignatures(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('delete from webhook_signatures where signed_at < $1', [before]);
  return rowCount ?? 0;
}
