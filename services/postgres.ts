import path from 'node:path';
import pg from 'pg';
import type { PostgresConfig } from './config.ts';
import { startProcess, untilReady } from './child-process.ts';
import { assertPortFree } from './ports.ts';
import { externalService, type Log, type RunningService } from './service.ts';

export interface PostgresEndpoint {
  url: string;
  /** PGlite is one session shared by every connection: pools must hold a single client. */
  embedded: boolean;
}

const here = path.dirname(new URL(import.meta.url).pathname);

/** `SELECT version()` and whether pgvector can be installed; undefined while unreachable. */
export async function postgresInfo(url: string): Promise<{ version: string; pgvector: boolean } | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    const version = await client.query<{ version: string }>('select version()');
    const vector = await client.query("select 1 from pg_available_extensions where name = 'vector'");
    return { version: version.rows[0]?.version ?? 'unknown', pgvector: (vector.rowCount ?? 0) > 0 };
  } finally {
    await client.end();
  }
}

/** Creates the database named in the URL when the server does not have it yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function startPostgres(
  config: PostgresConfig,
  dataDir: string,
  log: Log,
): Promise<RunningService<PostgresEndpoint>> {
  if (config.url) {
    await ensureDatabase(config.url);
    const info = await postgresInfo(config.url);
    if (info && !info.pgvector) {
      log('PostgreSQL at DATABASE_URL has no pgvector extension: the pgvector memory backend is unavailable there.');
    }
    return externalService('postgres', { url: config.url, embedded: false });
  }
  return startPglite(config.pglitePort, path.join(dataDir, 'pglite'), path.join(dataDir, 'run'));
}

/** Serves an embedded PGlite (with pgvector) from a child process on loopback. */
export async function startPglite(
  port: number,
  folder: string,
  runDir: string,
  name = 'pglite',
): Promise<RunningService<PostgresEndpoint>> {
  await assertPortFree(port, '127.0.0.1', 'embedded PostgreSQL (PGlite), TRELLIS_PGLITE_PORT');
  const launch = async () => {
    const child = startProcess({
      name,
      command: process.execPath,
      args: [path.join(here, 'pglite-server.ts'), '--data-dir', folder, '--port', String(port)],
      runDir,
      ipc: true,
    });
    const ready = new Promise<true>((resolve) => child.child.once('message', () => resolve(true)));
    let answered = false;
    void ready.then(() => (answered = true));
    await untilReady(child, name, () => Promise.resolve(answered ? true : undefined));
    // The channel stays open so the child stops itself if we die, but it must not keep us alive.
    child.child.channel?.unref();
    return child;
  };
  const child = await launch();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  return {
    name,
    origin: 'local',
    endpoint: { url, embedded: true },
    process: child,
    respawn: launch,
    stop: () => child.stop(),
  };
}
