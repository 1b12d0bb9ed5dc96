import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

const migrationsDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'migrations');

/** Applies every pending migration in store/migrations; returns the names it ran. */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ran = await runner({
      dbClient: client,
      dir: migrationsDir,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      count: Infinity,
      checkOrder: true,
      singleTransaction: true,
      log: () => {},
      logger: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
    });
    return ran.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}
