import type { Keyring } from '../security/keyring.ts';
import type { Db, Queryable } from './db.ts';
import { newSecret, openSecret, sealSecret } from './webhook-source-secrets.ts';

// Where signed deliveries come from. Each source has its own HMAC secret, sealed at rest with the
// installation's keyring (store/webhook-source-secrets.ts) and shown once, at creation or rotation;
// its kind (which parser reads its bodies) and its rate limit. After a rotation the previous secret
// keeps verifying until its overlap ends. Seen signatures are kept for the timestamp tolerance, so
// a captured request cannot be played again while its timestamp is still accepted.

export const webhookSourceKinds = ['webhook', 'email', 'form', 'document'] as const;
export type WebhookSourceKind = (typeof webhookSourceKinds)[number];

export interface WebhookSource {
  name: string;
  kind: WebhookSourceKind;
  rateLimitPerMinute: number;
  createdAt: string;
  /** Until when the secret before the last rotation still verifies; absent when only the current one does. */
  previousSecretValidUntil?: string;
}

/** A source with its new secret in clear: the answer to a creation or a rotation, and nowhere else. */
export interface WebhookSourceWithSecret extends WebhookSource {
  secret: string;
}

/** A source as ingest verifies it: the current secret, and the previous one while its overlap lasts. */
export interface VerifiableSource extends WebhookSource {
  secrets: { value: string; validUntil?: Date }[];
}

export interface SourceRow {
  name: string;
  kind: WebhookSourceKind;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  rate_limit_per_minute: number;
  created_at: Date;
}

export const toSource = (row: SourceRow, now = new Date()): WebhookSource => ({
  name: row.name,
  kind: row.kind,
  rateLimitPerMinute: row.rate_limit_per_minute,
  createdAt: row.created_at.toISOString(),
  ...(row.previous_secret_until && row.previous_secret_until > now
    ? { previousSecretValidUntil: row.previous_secret_until.toISOString() }
    : {}),
});

/** The secrets that verify a delivery at `now`: the current one, and the previous one until its overlap ends. */
export function verifyingSecrets(source: VerifiableSource, now = new Date()): string[] {
  return source.secrets.filter((secret) => !secret.validUntil || secret.validUntil > now).map((s) => s.value);
}

/** Creates a source with a fresh secret; undefined when the name is taken. */
export async function createWebhookSource(
  db: Queryable,
  keyring: Keyring,
  source: { name: string; kind: WebhookSourceKind; rateLimitPerMinute?: number },
): Promise<WebhookSourceWithSecret | undefined> {
  const secret = newSecret();
  const { rows } = await db.query<SourceRow>(
    `insert into webhook_sources (name, kind, secret, rate_limit_per_minute) values ($1, $2, $3, $4)
     on conflict (name) do nothing returning *`,
    [source.name, source.kind, sealSecret(keyring, source.name, 'secret', secret), source.rateLimitPerMinute ?? 600],
  );
  return rows[0] && { ...toSource(rows[0]), secret };
}

/** A source with its secrets opened, for ingest; a previous secret whose overlap is over is not opened. */
export async function getVerifiableSource(
  db: Queryable,
  keyring: Keyring,
  name: string,
  now = new Date(),
): Promise<VerifiableSource | undefined> {
  const { rows } = await db.query<SourceRow>('select * from webhook_sources where name = $1', [name]);
  const row = rows[0];
  if (!row) return undefined;
  const secrets: VerifiableSource['secrets'] = [{ value: openSecret(keyring, row.name, 'secret', row.secret) }];
  if (row.previous_secret && row.previous_secret_until && row.previous_secret_until > now) {
    secrets.push({
      value: openSecret(keyring, row.name, 'previous_secret', row.previous_secret),
      validUntil: row.previous_secret_until,
    });
  }
  return { ...toSource(row, now), secrets };
}

export async function listWebhookSources(db: Queryable): Promise<WebhookSource[]> {
  const { rows } = await db.query<SourceRow>('select * from webhook_sources order by name');
  return rows.map((row) => toSource(row));
}

/**
 * Gives a source a new secret. The previous one keeps verifying for `overlapMs` (0: it stops at
 * once), so senders can switch without losing deliveries; rotating again ends an earlier overlap.
 * Undefined when there is no such source.
 */
export async function rotateWebhookSourceSecret(
  db: Db,
  keyring: Keyring,
  name: string,
  overlapMs: number,
  now = new Date(),
): Promise<WebhookSourceWithSecret | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<SourceRow>('select * from webhook_sources where name = $1 for update', [name]);
    const row = rows[0];
    if (!row) return undefined;
    const secret = newSecret();
    const overlap = overlapMs > 0;
    const previous = overlap
      ? sealSecret(keyring, name, 'previous_secret', openSecret(keyring, name, 'secret', row.secret))
      : null;
    const updated = await tx.query<SourceRow>(
      `update webhook_sources set secret = $2, previous_secret = $3, previous_secret_until = $4
       where name = $1 returning *`,
      [
        name,
        sealSecret(keyring, name, 'secret', secret),
        previous,
        overlap ? new Date(now.getTime() + overlapMs) : null,
      ],
    );
    return { ...toSource(updated.rows[0]!, now), secret };
  });
}

/** Deletes a source and its seen signatures; its events stay. False when there is no such source. */
export async function deleteWebhookSource(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from webhook_sources where name = $1', [name]);
  return (rowCount ?? 0) > 0;
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
