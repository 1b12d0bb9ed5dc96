import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
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

const TEST_DATABASE = 'trellis_test';

/** Drops and recreates the test database so every run starts from an empty source of truth. */
async function freshDatabase(url: string): Promise<string> {
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEST_DATABASE} with (force)`);
    await admin.query(`create database ${TEST_DATABASE}`);
  } finally {
    await admin.end();
  }
  return withDatabase(url, TEST_DATABASE);
}

/**
 * Starts what the environment does not already provide: Temporal and Weaviate (from
 * TEMPORAL_ADDRESS / WEAVIATE_URL or locally on free ports), PostgreSQL (DATABASE_URL's
 * server, in a `trellis_test` database, or PGlite), and always a PGlite with pgvector.
 */
export default async function setup(project: TestProject) {
  const log = (line: string) => process.stderr.write(`[services] ${line}\n`);
  const env = { ...process.env };
  if (env.DATABASE_URL) env.DATABASE_URL = await freshDatabase(env.DATABASE_URL);
  const config = await isolatedConfig(env);
  const started = Date.now();
  const stack = await startServices(config, log);
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
    rmSync(config.dataDir, { recursive: true, force: true });
  };
}
