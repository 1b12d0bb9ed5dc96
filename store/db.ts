import pg from 'pg';

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The source of truth's connection: plain queries, and transactions on one dedicated client. */
export interface Db extends Queryable {
  /** Runs `work` in a transaction; use only `tx` inside it (on PGlite the pool has one connection). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  url: string;
  /** PGlite is one session for every connection: keep a single client (SERVICES.md). */
  embedded: boolean;
  /** Pool size on a real PostgreSQL (TRELLIS_DB_POOL_SIZE, default 20): more connections let commits group. */
  max?: number;
}

// bigint (int8) and numeric come back as strings by default; amounts in minor units fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export function connectDb({ url, embedded, max }: DbOptions): Db {
  const configured = Number(process.env.TRELLIS_DB_POOL_SIZE) || undefined;
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? 1 : (max ?? configured ?? 20),
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {
    // An idle client lost its connection (server restart); the pool replaces it on next use.
  });
  return {
    query: (sql, params) => pool.query(sql, params),
    async transaction(work) {
      const client = await pool.connect();
      // A connection lost mid-transaction (the database stopped) fails the pending query; without a
      // listener the client's 'error' event would also crash the process (the pool only listens on idle clients).
      let broken = false;
      const lost = () => {
        broken = true;
      };
      client.on('error', lost);
      try {
        await client.query('begin');
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.off('error', lost);
        // A broken connection is closed rather than handed to the next caller.
        client.release(broken || undefined);
      }
    },
    close: () => pool.end(),
  };
}

/** Retries a transaction that lost a serialization or unique race, which the caller resolves by re-reading. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
