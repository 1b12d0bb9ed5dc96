// Each client's data key for payload encryption: 32 random bytes, created on first use and
// stored sealed with the installation keyring. Lookups are cached (the codec is on every
// payload's path) and never hold a transaction: one insert-if-absent, one read.
import { randomBytes } from 'node:crypto';
import { open, seal } from '../../security/envelope.ts';
import type { Keyring } from '../../security/keyring.ts';
import type { Queryable } from '../../store/db.ts';

export interface Erasure {
  clientId: string;
  erasedAt: string;
  erasedBy: string;
  reason?: string;
}

export type ClientKey = { key: Buffer } | { erased: Erasure };

interface KeyRow {
  sealed_key: string | null;
  erased_at: Date | null;
  erased_by: string | null;
  erase_reason: string | null;
}

/** How long a looked-up key is trusted before the table is read again (an erasure elsewhere shows within this). */
export const KEY_CACHE_MS = 30_000;

const context = (clientId: string) => `client-key/${clientId}`;

export function erasureOf(clientId: string, row: KeyRow): Erasure {
  return {
    clientId,
    erasedAt: (row.erased_at as Date).toISOString(),
    erasedBy: row.erased_by ?? 'unknown',
    ...(row.erase_reason ? { reason: row.erase_reason } : {}),
  };
}

export class ClientKeys {
  private readonly cache = new Map<string, { at: number; value: Promise<ClientKey | undefined> }>();

  private readonly db: Queryable;
  private readonly keyring: Keyring;
  private readonly now: () => number;

  constructor(db: Queryable, keyring: Keyring, now: () => number = Date.now) {
    this.db = db;
    this.keyring = keyring;
    this.now = now;
  }

  /** The client's key, created now if it has none; an erased client's key stays gone. */
  forEncoding(clientId: string): Promise<ClientKey> {
    return this.cached(`encode:${clientId}`, async () => {
      const sealed = seal(this.keyring, randomBytes(32), context(clientId));
      await this.db.query('insert into client_keys (client_id, sealed_key) values ($1, $2) on conflict do nothing', [
        clientId,
        sealed,
      ]);
      const found = await this.read(clientId);
      if (!found) throw new Error(`client key for ${clientId} was not stored`);
      return found;
    }) as Promise<ClientKey>;
  }

  /** The client's key for opening a payload; undefined when it never had one. */
  forDecoding(clientId: string): Promise<ClientKey | undefined> {
    return this.cached(`decode:${clientId}`, () => this.read(clientId));
  }

  /** Drops what this process remembers about a client (after an erasure here). */
  forget(clientId: string): void {
    this.cache.delete(`encode:${clientId}`);
    this.cache.delete(`decode:${clientId}`);
  }

  private async read(clientId: string): Promise<ClientKey | undefined> {
    const { rows } = await this.db.query<KeyRow>(
      'select sealed_key, erased_at, erased_by, erase_reason from client_keys where client_id = $1',
      [clientId],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.sealed_key) return { erased: erasureOf(clientId, row) };
    return { key: open(this.keyring, row.sealed_key, context(clientId)) };
  }

  private cached(slot: string, load: () => Promise<ClientKey | undefined>): Promise<ClientKey | undefined> {
    const hit = this.cache.get(slot);
    if (hit && this.now() - hit.at < KEY_CACHE_MS) return hit.value;
    const value = load();
    this.cache.set(slot, { at: this.now(), value });
    // A failed lookup (database away) is not remembered.
    value.catch(() => {
      if (this.cache.get(slot)?.value === value) this.cache.delete(slot);
    });
    return value;
  }
}
