import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../lib/sha256.ts';
import type { Db, Queryable } from './db.ts';

// API bearer tokens. Only the sha256 of a token is stored: a leaked database does not give
// access, and the plaintext is shown once, when the token is created.

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  ...(row.last_used_at ? { lastUsedAt: row.last_used_at.toISOString() } : {}),
  ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString() } : {}),
});

export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** Equal tokens, compared in constant time over their hashes (the lengths of hashes never differ). */
export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(a), 'hex'), Buffer.from(hashToken(b), 'hex'));
}

/** `trl_` and 32 random bytes: recognisable in logs and secret scanners, unguessable. */
export function newTokenValue(): string {
  return `trl_${randomBytes(32).toString('base64url')}`;
}

/** Creates a token and returns its plaintext, which is not kept anywhere. */
export async function createToken(db: Queryable, name: string): Promise<{ token: ApiToken; plaintext: string }> {
  const plaintext = newTokenValue();
  const { rows } = await db.query<TokenRow>(
    'insert into api_tokens (id, name, token_hash) values ($1, $2, $3) returning *',
    [randomUUID(), name, hashToken(plaintext)],
  );
  return { token: toToken(rows[0]!), plaintext };
}

/** The live token with this plaintext, if any. The lookup is by hash, so no plaintext is compared. */
export async function findToken(db: Queryable, plaintext: string): Promise<ApiToken | undefined> {
  const { rows } = await db.query<TokenRow>('select * from api_tokens where token_hash = $1 and revoked_at is null', [
    hashToken(plaintext),
  ]);
  return rows[0] && toToken(rows[0]);
}

export async function touchToken(db: Queryable, id: string): Promise<void> {
  await db.query('update api_tokens set last_used_at = now() where id = $1', [id]);
}

export async function hasLiveToken(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('select 1 from api_tokens where revoked_at is null limit 1');
  return rows.length > 0;
}

export async function listTokens(db: Queryable): Promise<ApiToken[]> {
  const { rows } = await db.query<TokenRow>('select * from api_tokens order by created_at, id');
  return rows.map(toToken);
}

/** Revokes a token; false when there was no live token with this id. */
export async function revokeToken(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('update api_tokens set revoked_at = now() where id = $1 and revoked_at is null', [
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * The installation's first token: created when no token was ever made (a revoked one counts,
 * so revoking never mints a new one on restart). Returns the plaintext only to its creator;
 * concurrent first starts serialise on an advisory lock.
 */
export async function createFirstToken(db: Db, name = 'first start'): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended('trellis:first-token', 0))");
    const { rows } = await tx.query('select 1 from api_tokens limit 1');
    if (rows.length > 0) return undefined;
    return (await createToken(tx, name)).plaintext;
  });
}
