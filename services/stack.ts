import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { migrate } from '../store/migrate.ts';
import { killOrphans } from './child-process.ts';
import type { TrellisConfig } from './config.ts';
import { startMailpit, type MailpitEndpoint } from './mailpit.ts';
import { startPostgres, type PostgresEndpoint } from './postgres.ts';
import type { Log, RunningService } from './service.ts';
import { startTemporal, type TemporalEndpoint } from './temporal.ts';
import { startWeaviate, type WeaviateEndpoint } from './weaviate.ts';

export interface ServiceStack {
  temporal: RunningService<TemporalEndpoint>;
  weaviate: RunningService<WeaviateEndpoint>;
  postgres: RunningService<PostgresEndpoint>;
  /** The local SMTP sink, when asked for (`trellis up` with TRELLIS_MAILPIT on). */
  mailpit?: RunningService<MailpitEndpoint>;
  /** Stops what Trellis started, in reverse order of dependence. */
  stop(): Promise<void>;
}

const SERVICE_NAMES = ['temporal', 'weaviate', 'pglite', 'mailpit', 'worker', 'server'];

export interface StackOptions {
  /** Also start mailpit, the local mail sink. Only `trellis up` asks: tests start their own. */
  mailSink?: boolean;
}

/**
 * Starts (or finds, when configured) Temporal, Weaviate and PostgreSQL (and mailpit when asked),
 * then applies migrations. Used by `trellis up` and by the tests' global setup alike.
 */
export async function startServices(
  config: TrellisConfig,
  log: Log,
  options: StackOptions = {},
): Promise<ServiceStack> {
  const releaseDataDir = await claimDataDir(config, log);

  const started: RunningService<unknown>[] = [];
  const stopAll = async () => {
    for (const service of [...started].reverse()) await service.stop();
    await releaseDataDir().catch(() => {});
  };
  try {
    // Side by side: on a first start the mailpit build hides behind the two larger ones.
    const results = await Promise.allSettled([
      startPostgres(config.postgres, config.dataDir, log),
      startTemporal(config.temporal, config.dataDir, config.cacheDir, log),
      startWeaviate(config.weaviate, config.dataDir, config.cacheDir, log),
      ...(options.mailSink ? [startMailpit(config.mailpit, config.dataDir, config.cacheDir, log)] : []),
    ]);
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [postgres, temporal, weaviate, mailpit] = started as [
      RunningService<PostgresEndpoint>,
      RunningService<TemporalEndpoint>,
      RunningService<WeaviateEndpoint>,
      RunningService<MailpitEndpoint> | undefined,
    ];
    const ran = await migrate(postgres.endpoint.url, log);
    if (ran.length > 0) log(`applied migrations: ${ran.join(', ')}`);
    return { temporal, weaviate, postgres, ...(mailpit ? { mailpit } : {}), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Locks the data folder for this Trellis (another one using it is refused) and stops services an
 * earlier run left behind. Returns the release.
 */
export async function claimDataDir(config: TrellisConfig, log: Log): Promise<() => Promise<void>> {
  mkdirSync(config.dataDir, { recursive: true });
  const runDir = path.join(config.dataDir, 'run');
  const releaseDataDir = await lockfile
    .lock(config.dataDir, { lockfilePath: path.join(config.dataDir, '.trellis.lock'), stale: 10_000, update: 2_000 })
    .catch(() => {
      throw new Error(`Another Trellis is running with the data folder ${config.dataDir}; stop it first.`);
    });
  // Holding the data-folder lock means any service left from an earlier run is an orphan.
  for (const orphan of killOrphans(runDir, SERVICE_NAMES)) log(`stopped ${orphan} left over from an earlier run`);
  return releaseDataDir;
}

/** Where each service is and where it came from: running, or (staged-stack.ts) about to be. */
export type StackEndpoints = {
  [K in 'temporal' | 'weaviate' | 'postgres']: Pick<ServiceStack[K], 'endpoint' | 'origin'>;
};

/** Environment for the server and worker processes: where each service is and where it came from. */
export function serviceEnv(stack: StackEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: stack.temporal.endpoint.address,
    TEMPORAL_NAMESPACE: stack.temporal.endpoint.namespace,
    WEAVIATE_URL: stack.weaviate.endpoint.url,
    WEAVIATE_GRPC_ADDRESS: stack.weaviate.endpoint.grpcAddress,
    DATABASE_URL: stack.postgres.endpoint.url,
    TRELLIS_POSTGRES_EMBEDDED: String(stack.postgres.endpoint.embedded),
    TRELLIS_SERVICE_ORIGINS: JSON.stringify({
      temporal: stack.temporal.origin,
      weaviate: stack.weaviate.origin,
      postgres: stack.postgres.origin,
    }),
  };
  if (stack.weaviate.endpoint.apiKey) env.WEAVIATE_API_KEY = stack.weaviate.endpoint.apiKey;
  if (stack.temporal.endpoint.uiUrl) env.TEMPORAL_UI_URL = stack.temporal.endpoint.uiUrl;
  return env;
}
