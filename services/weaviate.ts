import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WeaviateConfig } from './config.ts';
import { startProcess, untilReady } from './child-process.ts';
import { resolveGoBinary, weaviateServer } from './go-binary.ts';
import { assertPortFree } from './ports.ts';
import { loadOrCreateSecret } from './secrets.ts';
import { externalService, type Log, type RunningService } from './service.ts';

export interface WeaviateEndpoint {
  url: string;
  grpcAddress: string;
  apiKey: string | undefined;
}

interface WeaviateSecrets {
  apiKey: string;
  clusterUser: string;
  clusterPassword: string;
}

/** The server's version from /v1/meta (needs the key); undefined while it is not ready. */
export async function weaviateVersion(endpoint: WeaviateEndpoint): Promise<string | undefined> {
  const ready = await fetch(new URL('/v1/.well-known/ready', endpoint.url), { signal: AbortSignal.timeout(1_000) });
  if (!ready.ok) return undefined;
  const meta = await fetch(new URL('/v1/meta', endpoint.url), {
    headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
    signal: AbortSignal.timeout(2_000),
  });
  if (!meta.ok) throw new Error(`Weaviate /v1/meta answered ${meta.status}`);
  const body = (await meta.json()) as { version?: string };
  return body.version ?? 'unknown';
}

function defaultGrpcAddress(url: string): string {
  return `${new URL(url).hostname}:50051`;
}

function weaviateSecrets(dataDir: string): WeaviateSecrets {
  return loadOrCreateSecret<WeaviateSecrets>(dataDir, 'weaviate', (token) => ({
    apiKey: token(),
    clusterUser: 'trellis-cluster',
    clusterPassword: token(),
  }));
}

/** Where a Weaviate that Trellis starts itself answers, known before it is built or started. */
export function localWeaviateEndpoint(config: WeaviateConfig, dataDir: string): WeaviateEndpoint {
  const host = '127.0.0.1';
  return {
    url: `http://${host}:${config.httpPort}`,
    grpcAddress: `${host}:${config.grpcPort}`,
    apiKey: weaviateSecrets(dataDir).apiKey,
  };
}

export async function startWeaviate(
  config: WeaviateConfig,
  dataDir: string,
  cacheDir: string,
  log: Log,
): Promise<RunningService<WeaviateEndpoint>> {
  if (config.url) {
    return externalService('weaviate', {
      url: config.url,
      grpcAddress: config.grpcAddress ?? defaultGrpcAddress(config.url),
      apiKey: config.apiKey,
    });
  }
  const host = '127.0.0.1';
  // gRPC and the cluster data port listen on every interface whatever we ask (SERVICES.md),
  // so they are checked there, and the server runs with API-key and cluster basic auth.
  await assertPortFree(config.httpPort, host, 'Weaviate REST, TRELLIS_WEAVIATE_PORT');
  await assertPortFree(config.grpcPort, '0.0.0.0', 'Weaviate gRPC, TRELLIS_WEAVIATE_GRPC_PORT');
  await assertPortFree(config.gossipPort, host, 'Weaviate gossip, TRELLIS_WEAVIATE_GOSSIP_PORT');
  await assertPortFree(config.dataPort, '0.0.0.0', 'Weaviate cluster data, TRELLIS_WEAVIATE_DATA_PORT');
  await assertPortFree(config.raftPort, host, 'Weaviate raft, TRELLIS_WEAVIATE_RAFT_PORT');
  await assertPortFree(config.raftRpcPort, host, 'Weaviate raft RPC, TRELLIS_WEAVIATE_RAFT_RPC_PORT');
  const binary = await resolveGoBinary(cacheDir, weaviateServer, log);
  const secrets = weaviateSecrets(dataDir);
  const storage = path.join(dataDir, 'weaviate');
  mkdirSync(storage, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PERSISTENCE_DATA_PATH: storage,
    DEFAULT_VECTORIZER_MODULE: 'none',
    API_BASED_MODULES_DISABLED: 'true',
    DISABLE_TELEMETRY: 'true',
    GO_PROFILING_DISABLE: 'true',
    LOG_LEVEL: 'warning',
    QUERY_DEFAULTS_LIMIT: '25',
    CLUSTER_HOSTNAME: 'trellis',
    CLUSTER_BIND_ADDR: host,
    CLUSTER_ADVERTISE_ADDR: host,
    CLUSTER_GOSSIP_BIND_PORT: String(config.gossipPort),
    CLUSTER_DATA_BIND_PORT: String(config.dataPort),
    CLUSTER_BASIC_AUTH_USERNAME: secrets.clusterUser,
    CLUSTER_BASIC_AUTH_PASSWORD: secrets.clusterPassword,
    RAFT_PORT: String(config.raftPort),
    RAFT_INTERNAL_RPC_PORT: String(config.raftRpcPort),
    RAFT_BOOTSTRAP_EXPECT: '1',
    RAFT_JOIN: `trellis:${config.raftPort}`,
    RAFT_TIMEOUTS_MULTIPLIER: '1',
    GRPC_PORT: String(config.grpcPort),
    AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED: 'false',
    AUTHENTICATION_APIKEY_ENABLED: 'true',
    AUTHENTICATION_APIKEY_ALLOWED_KEYS: secrets.apiKey,
    AUTHENTICATION_APIKEY_USERS: 'trellis',
  };
  const args = ['--host', host, '--port', String(config.httpPort), '--scheme', 'http'];
  const endpoint = localWeaviateEndpoint(config, dataDir);
  const launch = async () => {
    const child = startProcess({
      name: 'weaviate',
      command: binary.path,
      args,
      env,
      runDir: path.join(dataDir, 'run'),
    });
    await untilReady(child, 'Weaviate', () => weaviateVersion(endpoint), 90_000);
    return child;
  };
  const child = await launch();
  return {
    name: 'weaviate',
    origin: 'local',
    endpoint,
    binary,
    process: child,
    respawn: launch,
    stop: () => child.stop(),
  };
}
