import type { Db } from '../../store/db.ts';
import { getMailAccount } from '../../store/mail-accounts.ts';
import type { VerifiableSource } from '../../store/webhook-sources.ts';

// A mail account is also an ingest source of kind `email` named after it: its intake delivers
// under it, and an operator (with a token) may upload a message to it as if it had arrived.
// It has no secret: nothing signed reaches it over HTTP.

/** The synthetic email source of a mail account. */
export function mailAccountSource(accountId: string, createdAt = new Date(0).toISOString()): VerifiableSource {
  return { name: accountId, kind: 'email', rateLimitPerMinute: 0, createdAt, secrets: [] };
}

/** The mail account `name` as a source, or undefined when there is no such account. */
export async function findMailAccountSource(db: Db, name: string): Promise<VerifiableSource | undefined> {
  const account = await getMailAccount(db, name);
  return account ? mailAccountSource(account.id, account.createdAt) : undefined;
}
