import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type TrellisConfig } from '../../services/config.ts';
import { freePort } from '../../services/ports.ts';
import type { ServiceStack } from '../../services/stack.ts';

/** The services a test reaches, as the global setup provides them. */
export interface TestServices {
  dataDir: string;
  temporal: { address: string; namespace: string };
  weaviate: { url: string; grpcAddress: string; apiKey: string | undefined };
  /** The source of truth: DATABASE_URL's server (database `trellis_test`) or PGlite. */
  postgres: { url: string; embedded: boolean };
  /** Always an embedded PGlite with pgvector, for the pgvector memory backend. */
  pglite: { url: string };
}

/** A config on a fresh temporary data folder with free ports, so tests never touch a running `trellis up`. */
export async function isolatedConfig(
  env: NodeJS.ProcessEnv = process.env,
  prefix = 'trellis-test-',
): Promise<TrellisConfig> {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const ports = {
    TRELLIS_PORT: await freePort(),
    TRELLIS_TEMPORAL_PORT: await freePort(),
    TRELLIS_TEMPORAL_UI_PORT: await freePort(),
    TRELLIS_WEAVIATE_PORT: await freePort(),
    TRELLIS_WEAVIATE_GRPC_PORT: await freePort(),
    TRELLIS_WEAVIATE_GOSSIP_PORT: await freePort(),
    TRELLIS_WEAVIATE_DATA_PORT: await freePort(),
    TRELLIS_WEAVIATE_RAFT_PORT: await freePort(),
    TRELLIS_WEAVIATE_RAFT_RPC_PORT: await freePort(),
    TRELLIS_PGLITE_PORT: await freePort(),
    TRELLIS_MAILPIT_SMTP_PORT: await freePort(),
    TRELLIS_MAILPIT_PORT: await freePort(),
  };
  const portEnv = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
  return loadConfig({ ...env, ...portEnv, TRELLIS_DATA_DIR: dataDir });
}

/** DATABASE_URL with its database renamed, so tests never write to the operator's database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A stack a benchmark started itself, described the way the test setup describes its services. */
export function servicesOfStack(stack: ServiceStack, dataDir: string): TestServices {
  return {
    dataDir,
    temporal: { address: stack.temporal.endpoint.address, namespace: stack.temporal.endpoint.namespace },
    weaviate: stack.weaviate.endpoint,
    postgres: stack.postgres.endpoint,
    pglite: { url: stack.postgres.endpoint.url },
  };
}
