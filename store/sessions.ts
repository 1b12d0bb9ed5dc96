import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db.ts';
import type { TokenScope } from './tokens.ts';

// Browser sessions: an opaque id kept in an httpOnly cookie, stored only as its sha256, with the
// token the operator signed in with and its scopes. A session ends when it expires, when its
// operator signs out, or when its token is revoked. `env` is TRELLIS_API_TOKEN, which is not stored.

export interface ApiSession {
  tokenId: string;
  scopes: TokenScope[];
  expiresAt: string;
}

interface SessionRow {
  token_id: string;
  scopes: TokenScope[];
  expires_at: Date;
}

const hashOf = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** Opens a session for a live token; returns the id for the cookie (kept nowhere else). */
export async function openSession(
  db: Queryable,
  token: { id: string; scopes: readonly TokenScope[] },
  lifetimeMs: number,
): Promise<{ id: string; expiresAt: string }> {
  const id = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `insert into api_sessions (id_hash, token_id, scopes, expires_at)
       values ($1, $2, $3, now() + $4 * interval '1 millisecond') returning expires_at`,
    [hashOf(id), token.id, [...token.scopes], lifetimeMs],
  );
  return { id, expiresAt: rows[0]!.expires_at.toISOString() };
}

/** The live session with this id: not expired, its token (unless `env`) not revoked. */
export async function findSession(db: Queryable, id: string): Promise<ApiSession | undefined> {
  const { rows } = await db.query<SessionRow>(
    `select s.token_id, s.scopes, s.expires_at from api_sessions s
      where s.id_hash = $1 and s.expires_at > now()
        and (s.token_id = 'env' or exists (select 1 from api_tokens t where t.id = s.token_id and t.revoked_at is null))`,
    [hashOf(id)],
  );
  const row = rows[0];
  return row && { tokenId: row.token_id, scopes: row.scopes, expiresAt: row.expires_at.toISOString() };
}

/** Ends a session (sign out); expired ones are swept at the same time. */
export async function closeSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from api_sessions where id_hash = $1 or expires_at <= now()', [hashOf(id)]);
}
