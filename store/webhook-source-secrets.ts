import { randomBytes } from 'node:crypto';
import { EnvelopeError, isSealed, openText, seal } from '../security/envelope.ts';
import type { Keyring } from '../security/keyring.ts';
import type { Queryable } from './db.ts';

// Webhook signing secrets at rest: sealed with the installation's keyring, bound to their table,
// row and column, so a sealed secret copied to another source (or from `previous_secret` into
// `secret`) does not open. Opened only to verify a delivery or to rotate; the plaintext leaves the
// server once, in the answer to a creation or a rotation.

export type SecretColumn = 'secret' | 'previous_secret';

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

const contextOf = (source: string, column: SecretColumn) => `webhook_sources:${source}:${column}`;

export const sealSecret = (keyring: Keyring, source: string, column: SecretColumn, secret: string): string =>
  seal(keyring, secret, contextOf(source, column));

/** Opens a stored secret; an error names the source (never the value) when the keyring cannot open it. */
export function openSecret(keyring: Keyring, source: string, column: SecretColumn, sealed: string): string {
  try {
    return openText(keyring, sealed, contextOf(source, column));
  } catch (error) {
    const reason = error instanceof EnvelopeError ? error.message : String(error);
    throw new EnvelopeError(`the ${column} of webhook source "${source}" does not open with this keyring: ${reason}`);
  }
}

/**
 * The startup upgrade: seals every secret stored in plaintext (rows written before migration
 * 0011), then validates the constraint that keeps the column sealed from then on. Idempotent;
 * one transaction, so a crash leaves no row half done. Returns how many rows it sealed.
 */
export async function sealPlaintextSecrets(db: Queryable, keyring: Keyring): Promise<number> {
  const { rows } = await db.query<{ name: string; secret: string }>(
    `select name, secret from webhook_sources where secret not like 'v1.%' for update`,
  );
  let sealed = 0;
  for (const row of rows) {
    if (isSealed(row.secret)) continue;
    await db.query('update webhook_sources set secret = $2 where name = $1', [
      row.name,
      sealSecret(keyring, row.name, 'secret', row.secret),
    ]);
    sealed++;
  }
  const { rows: pending } = await db.query(
    `select 1 from pg_constraint where conname = 'webhook_sources_secret_sealed' and not convalidated`,
  );
  if (pending.length > 0)
    await db.query('alter table webhook_sources validate constraint webhook_sources_secret_sealed');
  return sealed;
}
