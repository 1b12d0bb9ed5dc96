import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { mailpitServer, resolveGoBinary } from '../../services/go-binary.ts';
import { startPglite } from '../../services/postgres.ts';
import { freePort } from '../../services/ports.ts';
import type { RunningService } from '../../services/service.ts';
import { startServices } from '../../services/stack.ts';
import { migrate } from '../../store/migrate.ts';
import { isolatedConfig, withDatabase, type TestServices } from './test-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

// One database per run, so two runs on the same server (people, helpers, CI) never clash.
const TEST_DATABASE = `trellis_test_${process.pid}`;

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates this run's empty database, dropping test databases left by runs that died. */
async function freshDatabase(url: string): Promise<string> {
  await admin(url, async (client) => {
    const old = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'trellis\\_test\\_%'",
    );
    for (const { datname } of old.rows) {
      const pid = Number(datname.replace('trellis_test_', ''));
      if (pid === process.pid || !isAlive(pid))
        await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
    }
    await client.query(`create database ${TEST_DATABASE}`);
  });
  return withDatabase(url, TEST_DATABASE);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts what the environment does not already provide: Temporal and Weaviate (from
 * TEMPORAL_ADDRESS / WEAVIATE_URL or locally on free ports), PostgreSQL (DATABASE_URL's
 * server, in a `trellis_test` database, or PGlite), and always a PGlite with pgvector.
 */
export default async function setup(project: TestProject) {
  const log = (line: string) => process.stderr.write(`[services] ${line}\n`);
  const env = { ...process.env };
  const serverUrl = env.DATABASE_URL;
  if (serverUrl) env.DATABASE_URL = await freshDatabase(serverUrl);
  const config = await isolatedConfig(env);
  const started = Date.now();
  // mailpit is not started here (only the mail suites need one, each its own): it is only found or
  // built, side by side with the services, so that a suite's startMailpit() takes a second.
  const [stackResult, mailpitResult] = await Promise.allSettled([
    startServices(config, log),
    resolveGoBinary(config.cacheDir, mailpitServer, log),
  ]);
  if (stackResult.status === 'rejected') throw stackResult.reason;
  const stack = stackResult.value;
  if (mailpitResult.status === 'rejected') {
    await stack.stop();
    throw mailpitResult.reason;
  }
  let pglite: RunningService<{ url: string }> = stack.postgres;
  if (!stack.postgres.endpoint.embedded) {
    pglite = await startPglite(await freePort(), path.join(config.dataDir, 'pglite'), path.join(config.dataDir, 'run'));
    await migrate(pglite.endpoint.url);
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${config.dataDir})`);
  project.provide('services', {
    dataDir: config.dataDir,
    temporal: { address: stack.temporal.endpoint.address, namespace: stack.temporal.endpoint.namespace },
    weaviate: stack.weaviate.endpoint,
    postgres: stack.postgres.endpoint,
    pglite: { url: pglite.endpoint.url },
  });
  return async () => {
    if (pglite !== stack.postgres) await pglite.stop();
    await stack.stop();
    if (serverUrl)
      await admin(serverUrl, (client) => client.query(`drop database if exists ${TEST_DATABASE} with (force)`));
    rmSync(config.dataDir, { recursive: true, force: true });
  };
}
