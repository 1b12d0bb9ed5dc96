// Getting a PostgreSQL ready for the pgvector memory backend, and naming it in messages.
import type pg from 'pg';

/** Where a database is, for messages: host, port and database, never credentials. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** Creates `vector` when it can; says plainly when this PostgreSQL does not have pgvector. */
export async function ensureVectorExtension(client: pg.PoolClient, url: string): Promise<void> {
  const installed = await client.query("select 1 from pg_extension where extname = 'vector'");
  if (installed.rowCount) return;
  const available = await client.query("select 1 from pg_available_extensions where name = 'vector'");
  if (!available.rowCount) {
    const { rows } = await client.query<{ version: string }>("select current_setting('server_version') as version");
    throw new Error(
      `The pgvector memory backend needs the "vector" extension, and the PostgreSQL ${rows[0]?.version ?? ''} at ` +
        `${describeDatabase(url)} does not have it. Install pgvector (https://github.com/pgvector/pgvector), ` +
        'use the embedded PGlite (leave DATABASE_URL unset), or use the Weaviate memory backend.',
    );
  }
  try {
    await client.query('create extension if not exists vector');
  } catch (error) {
    throw new Error(
      `pgvector is available at ${describeDatabase(url)} but "create extension vector" failed ` +
        `(${(error as Error).message}); ask an administrator to run it once in that database.`,
      { cause: error },
    );
  }
}
