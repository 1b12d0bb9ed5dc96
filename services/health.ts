import type { ServiceOrigin, TrellisConfig } from './config.ts';
import { postgresInfo } from './postgres.ts';
import { temporalVersion } from './temporal.ts';
import { weaviateVersion } from './weaviate.ts';
import { notYetUp, startupLabel, startupMessage } from './startup-status.ts';
import { readSupervisorStatus, type ChildStatus } from './supervisor-status.ts';

export interface ServiceHealth {
  reachable: boolean;
  /** While `trellis up` builds or starts it: "building (42 %)", "starting" or "failed". */
  startup?: string;
  version?: string;
  origin: ServiceOrigin;
  detail?: string;
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  services: { temporal: ServiceHealth; weaviate: ServiceHealth; postgres: ServiceHealth };
  /** The processes `trellis up` supervises (services it started, worker, server); absent without it. */
  processes?: Record<string, ChildStatus>;
}

type Origins = Partial<Record<keyof HealthReport['services'], ServiceOrigin>>;

/** `trellis up` tells its children which services it started itself; otherwise they came from the environment. */
export function serviceOrigins(env: NodeJS.ProcessEnv = process.env): Origins {
  try {
    return JSON.parse(env.TRELLIS_SERVICE_ORIGINS ?? '{}') as Origins;
  } catch {
    return {};
  }
}

async function probe(origin: ServiceOrigin, check: () => Promise<Omit<ServiceHealth, 'origin' | 'reachable'>>) {
  try {
    return { reachable: true, origin, ...(await check()) };
  } catch (error) {
    return { reachable: false, origin, error: (error as Error).message };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

export async function checkHealth(config: TrellisConfig, origins: Origins = serviceOrigins()): Promise<HealthReport> {
  const { temporal, weaviate, postgres } = config;
  const [t, w, p] = await Promise.all([
    probe(origins.temporal ?? 'env', async () => {
      if (!temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
      return { version: await withTimeout(temporalVersion(temporal.address), 3_000, 'Temporal') };
    }),
    probe(origins.weaviate ?? 'env', async () => {
      if (!weaviate.url) throw new Error('WEAVIATE_URL is not set');
      const endpoint = { url: weaviate.url, apiKey: weaviate.apiKey, grpcAddress: weaviate.grpcAddress ?? '' };
      const version = await withTimeout(weaviateVersion(endpoint), 3_000, 'Weaviate');
      if (!version) throw new Error('Weaviate is not ready');
      return { version };
    }),
    probe(origins.postgres ?? 'env', async () => {
      if (!postgres.url) throw new Error('DATABASE_URL is not set');
      const info = await withTimeout(postgresInfo(postgres.url), 3_000, 'PostgreSQL');
      if (!info) throw new Error('PostgreSQL is not reachable');
      const embedded = process.env.TRELLIS_POSTGRES_EMBEDDED === 'true';
      return {
        version: info.version.split(' on ')[0] ?? info.version,
        detail: `${embedded ? 'embedded PGlite' : 'PostgreSQL server'}, pgvector ${info.pgvector ? 'available' : 'missing'}`,
      };
    }),
  ]);
  for (const [name, health] of [
    ['temporal', t],
    ['weaviate', w],
  ] as const) {
    const startup = health.reachable ? undefined : notYetUp(name);
    if (startup) Object.assign(health, { startup: startupLabel(startup), error: startupMessage(name, startup) });
  }
  const processes = readSupervisorStatus()?.children;
  // A supervised process that is restarting or left down (the worker, say) means runs do not progress.
  const processesUp = Object.values(processes ?? {}).every((child) => child.state === 'running');
  return {
    ok: t.reachable && w.reachable && p.reachable && processesUp,
    services: { temporal: t, weaviate: w, postgres: p },
    ...(processes ? { processes } : {}),
  };
}
