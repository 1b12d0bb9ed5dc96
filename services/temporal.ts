import { Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TemporalConfig } from './config.ts';
import { startProcess, untilReady } from './child-process.ts';
import { resolveGoBinary, temporalCli } from './go-binary.ts';
import { assertPortFree } from './ports.ts';
import { externalService, type Log, type RunningService } from './service.ts';

export interface TemporalEndpoint {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
}

/**
 * Server settings measured in SERVICES.md: the default history queue polling costs ~60 ms
 * per workflow step; these two bring a 40-step flow from ~3 s to ~0.9 s.
 */
const LATENCY_SETTINGS = ['history.transferProcessorMaxPollRPS=1000', 'system.enableActivityEagerExecution=true'];

/**
 * SQLite in WAL mode: SQLite's default rollback journal fsyncs the journal, the database and the
 * folder on every commit; WAL appends to one file. bench/temporal-storage.ts measures the modes
 * side by side (figures in bench/RESULTS.md): `synchronous=full` keeps every commit durable,
 * `normal` never corrupts but a power loss may drop the last commits.
 */
export function sqlitePragmas(sync: TemporalConfig['sqliteSync']): string[] {
  return ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', `synchronous=${sync}`];
}

/** Search attributes the run list filters on; registered by the dev server at start. */
export const SEARCH_ATTRIBUTES = {
  TrellisWorkflowId: 'Keyword',
  TrellisPlanHash: 'Keyword',
  TrellisProjectId: 'Keyword',
  TrellisClientId: 'Keyword',
} as const;

/** Asks the frontend for its version; undefined while it is not serving. */
export async function temporalVersion(address: string): Promise<string | undefined> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    return info.serverVersion ?? 'unknown';
  } finally {
    await connection.close();
  }
}

/** The dev server's command line; `dbFile` undefined keeps it in memory (bench/temporal-storage.ts compares). */
export function devServerArgs(config: TemporalConfig, dbFile: string | undefined, pragmas: string[]): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(config.port),
    '--ui-port',
    String(config.uiPort),
    ...(dbFile ? ['--db-filename', dbFile, ...pragmas] : []),
    '--namespace',
    config.namespace,
    '--log-level',
    'warn',
    ...LATENCY_SETTINGS.flatMap((setting) => ['--dynamic-config-value', setting]),
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
}

export async function startTemporal(
  config: TemporalConfig,
  dataDir: string,
  cacheDir: string,
  log: Log,
): Promise<RunningService<TemporalEndpoint>> {
  if (config.address) {
    return externalService('temporal', { address: config.address, namespace: config.namespace, uiUrl: config.uiUrl });
  }
  const host = '127.0.0.1';
  await assertPortFree(config.port, host, 'Temporal frontend, TRELLIS_TEMPORAL_PORT');
  await assertPortFree(config.uiPort, host, 'Temporal Web UI, TRELLIS_TEMPORAL_UI_PORT');
  const binary = await resolveGoBinary(cacheDir, temporalCli, log);
  const dbDir = path.join(dataDir, 'temporal');
  mkdirSync(dbDir, { recursive: true });
  const args = devServerArgs(config, path.join(dbDir, 'temporal.db'), sqlitePragmas(config.sqliteSync));
  const address = `${host}:${config.port}`;
  const launch = async () => {
    const child = startProcess({ name: 'temporal', command: binary.path, args, runDir: path.join(dataDir, 'run') });
    await untilReady(child, 'Temporal', () => temporalVersion(address));
    return child;
  };
  const child = await launch();
  return {
    name: 'temporal',
    origin: 'local',
    endpoint: { address, namespace: config.namespace, uiUrl: `http://${host}:${config.uiPort}` },
    binary,
    process: child,
    respawn: launch,
    stop: () => child.stop(),
  };
}
