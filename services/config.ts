import { homedir } from 'node:os';
import path from 'node:path';

/** Where a service comes from: configured in the environment, or started by Trellis on loopback. */
export type ServiceOrigin = 'env' | 'local';

export interface TemporalConfig {
  /** host:port of a running Temporal frontend; when unset Trellis starts the dev server. */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  port: number;
  uiPort: number;
  /** Base URL of the Temporal Web UI, for links from the run inspector. */
  uiUrl: string | undefined;
  /** SQLite `synchronous` of the local dev server (WAL journal): `full` fsyncs every commit, `normal` may lose the last commits on power loss. */
  sqliteSync: 'full' | 'normal';
}

export interface WeaviateConfig {
  /** REST URL of a running Weaviate; when unset Trellis builds and starts one. */
  url: string | undefined;
  apiKey: string | undefined;
  /** host:port of its gRPC API (defaults to the REST host and port 50051). */
  grpcAddress: string | undefined;
  httpPort: number;
  grpcPort: number;
  gossipPort: number;
  dataPort: number;
  raftPort: number;
  raftRpcPort: number;
}

export interface PostgresConfig {
  /** A PostgreSQL connection URL; when unset Trellis serves embedded PGlite on loopback. */
  url: string | undefined;
  pglitePort: number;
}

export interface MailpitConfig {
  /** Start the local mail sink with `trellis up` (TRELLIS_MAILPIT, on by default). */
  enabled: boolean;
  /** Loopback port where it accepts SMTP. */
  smtpPort: number;
  /** Loopback port of its web page and HTTP API. */
  webPort: number;
}

export interface TrellisConfig {
  dataDir: string;
  cacheDir: string;
  host: string;
  port: number;
  temporal: TemporalConfig;
  weaviate: WeaviateConfig;
  postgres: PostgresConfig;
  mailpit: MailpitConfig;
  /** authserv-ids of receiving servers whose Authentication-Results verify senders (TRELLIS_TRUSTED_AUTHSERV_IDS). */
  trustedAuthservIds?: string[];
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = allowed.find((option) => option === raw.toLowerCase());
  if (!value) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a TCP port (0-65535), got "${raw}"`);
  }
  return value;
}

export function defaultCacheDir(env: Env = process.env): string {
  return (
    text(env, 'TRELLIS_CACHE_DIR') ??
    path.join(text(env, 'XDG_CACHE_HOME') ?? path.join(text(env, 'HOME') ?? homedir(), '.cache'), 'trellis')
  );
}

/** Reads the whole configuration from the environment; every variable is listed in the README. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): TrellisConfig {
  const temporalPort = port(env, 'TRELLIS_TEMPORAL_PORT', 7233);
  const temporalUiPort = port(env, 'TRELLIS_TEMPORAL_UI_PORT', 8233);
  const temporalAddress = text(env, 'TEMPORAL_ADDRESS');
  const raftPort = port(env, 'TRELLIS_WEAVIATE_RAFT_PORT', 8300);
  return {
    dataDir: path.resolve(cwd, text(env, 'TRELLIS_DATA_DIR') ?? 'data'),
    cacheDir: defaultCacheDir(env),
    host: text(env, 'TRELLIS_HOST') ?? '127.0.0.1',
    port: port(env, 'TRELLIS_PORT', 4310),
    temporal: {
      address: temporalAddress,
      namespace: text(env, 'TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: text(env, 'TRELLIS_TASK_QUEUE') ?? 'trellis',
      port: temporalPort,
      uiPort: temporalUiPort,
      uiUrl: text(env, 'TEMPORAL_UI_URL') ?? (temporalAddress ? undefined : `http://127.0.0.1:${temporalUiPort}`),
      sqliteSync: oneOf(env, 'TRELLIS_TEMPORAL_SQLITE_SYNC', ['full', 'normal'] as const, 'full'),
    },
    weaviate: {
      url: text(env, 'WEAVIATE_URL'),
      apiKey: text(env, 'WEAVIATE_API_KEY'),
      grpcAddress: text(env, 'WEAVIATE_GRPC_ADDRESS'),
      httpPort: port(env, 'TRELLIS_WEAVIATE_PORT', 8080),
      grpcPort: port(env, 'TRELLIS_WEAVIATE_GRPC_PORT', 50051),
      gossipPort: port(env, 'TRELLIS_WEAVIATE_GOSSIP_PORT', 7946),
      dataPort: port(env, 'TRELLIS_WEAVIATE_DATA_PORT', 7947),
      raftPort,
      raftRpcPort: port(env, 'TRELLIS_WEAVIATE_RAFT_RPC_PORT', raftPort + 1),
    },
    postgres: {
      url: text(env, 'DATABASE_URL'),
      pglitePort: port(env, 'TRELLIS_PGLITE_PORT', 5442),
    },
    mailpit: {
      enabled: oneOf(env, 'TRELLIS_MAILPIT', ['on', 'off'] as const, 'on') === 'on',
      smtpPort: port(env, 'TRELLIS_MAILPIT_SMTP_PORT', 1025),
      webPort: port(env, 'TRELLIS_MAILPIT_PORT', 8025),
    },
    trustedAuthservIds: (text(env, 'TRELLIS_TRUSTED_AUTHSERV_IDS') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  };
}
