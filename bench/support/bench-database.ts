// Benchmarks that start a server never write to the operator's database: with DATABASE_URL set,
// each gets a fresh database on that server (dropped at the end); without, the embedded PGlite.
import pg from 'pg';
import { withDatabase } from '../../tests/setup/test-stack.ts';

export interface BenchDatabase {
  /** The environment to configure the benchmark's services with. */
  env: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

export async function benchDatabase(env: NodeJS.ProcessEnv = process.env): Promise<BenchDatabase> {
  const serverUrl = env.DATABASE_URL?.trim();
  if (!serverUrl) return { env, drop: () => Promise.resolve() };
  const name = `trellis_bench_${process.pid}`;
  await admin(serverUrl, `create database ${name}`);
  return {
    env: { ...env, DATABASE_URL: withDatabase(serverUrl, name) },
    drop: () => admin(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
