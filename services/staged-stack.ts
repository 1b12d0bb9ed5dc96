import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../store/migrate.ts';
import type { TrellisConfig } from './config.ts';
import { startMailpit, type MailpitEndpoint } from './mailpit.ts';
import { buildUnderWay, needsBuild, temporalCli, weaviateServer, type GoTool } from './go-binary.ts';
import { startPostgres, type PostgresEndpoint } from './postgres.ts';
import type { Log, RunningService } from './service.ts';
import { claimDataDir, serviceEnv } from './stack.ts';
import { STARTUP_STATUS_ENV, writeStartupStatus, type StartupService, type StartupStatus } from './startup-status.ts';
import { startTemporal, type TemporalEndpoint } from './temporal.ts';
import { localWeaviateEndpoint, startWeaviate, type WeaviateEndpoint } from './weaviate.ts';

// `trellis up` in stages: the database first (PGlite starts in seconds and needs no build), so the
// server (editor, gallery, API docs, health) answers while Temporal and Weaviate are still being
// built from Go source or starting. startServices (stack.ts) stays the all-at-once start the tests use.

export interface StagedStack {
  postgres: RunningService<PostgresEndpoint>;
  /** Each resolves once the service answers (after its binary is built, on a fresh machine). */
  temporal: Promise<RunningService<TemporalEndpoint>>;
  weaviate: Promise<RunningService<WeaviateEndpoint>>;
  /** The local mail sink (TRELLIS_MAILPIT on): where it will answer, and when it has started. */
  mailSink?: { endpoint: MailpitEndpoint; started: Promise<RunningService<MailpitEndpoint>> };
  /** For the server and worker: where every service will answer, and the startup status file. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const STATUS_EVERY_MS = 2_000;

/** Where Temporal will answer: configured, or the local dev server's address. */
function plannedTemporal(config: TrellisConfig): TemporalEndpoint {
  const { temporal } = config;
  if (temporal.address) return { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl };
  return {
    address: `127.0.0.1:${temporal.port}`,
    namespace: temporal.namespace,
    uiUrl: `http://127.0.0.1:${temporal.uiPort}`,
  };
}

function plannedWeaviate(config: TrellisConfig): WeaviateEndpoint {
  const { weaviate } = config;
  if (!weaviate.url) return localWeaviateEndpoint(weaviate, config.dataDir);
  return {
    url: weaviate.url,
    grpcAddress: weaviate.grpcAddress ?? `${new URL(weaviate.url).hostname}:50051`,
    apiKey: weaviate.apiKey,
  };
}

/** Starts PGlite and migrates, then returns while Temporal and Weaviate build and start. */
export async function startServicesStaged(config: TrellisConfig, log: Log): Promise<StagedStack> {
  const releaseDataDir = await claimDataDir(config, log);
  const runDir = path.join(config.dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  const statusFile = path.join(runDir, 'startup.json');
  const status: StartupStatus = {};
  const started: RunningService<unknown>[] = [];
  let stopping = false;

  /** Starts one service in the background, keeping its state (and build progress) in the status file. */
  function track<E>(
    service: StartupService,
    tool: GoTool,
    external: boolean,
    start: () => Promise<RunningService<E>>,
  ): Promise<RunningService<E>> {
    const building = () => !external && needsBuild(config.cacheDir, tool);
    const update = () => {
      const build = buildUnderWay(tool.binary);
      if (build) status[service] = { state: 'building', percent: build.percent, leftSeconds: build.leftSeconds };
      else status[service] = { state: building() ? 'building' : 'starting' };
      writeStartupStatus(statusFile, status);
    };
    update();
    const timer = setInterval(update, STATUS_EVERY_MS);
    return start().then(
      async (running) => {
        clearInterval(timer);
        started.push(running);
        status[service] = { state: 'ready' };
        writeStartupStatus(statusFile, status);
        // `up` was stopped while this one was still starting: it stops too.
        if (stopping) await running.stop();
        return running;
      },
      (error: Error) => {
        clearInterval(timer);
        status[service] = { state: 'failed', error: error.message };
        writeStartupStatus(statusFile, status);
        throw error;
      },
    );
  }

  /** mailpit is small (about a minute to build) and nothing waits on it: it starts beside the others. */
  function startMailSink(): NonNullable<StagedStack['mailSink']> {
    const { smtpPort, webPort } = config.mailpit;
    const endpoint = { smtpHost: '127.0.0.1', smtpPort, webUrl: `http://127.0.0.1:${webPort}` };
    const sinkStarted = startMailpit(config.mailpit, config.dataDir, config.cacheDir, log).then(async (running) => {
      started.push(running);
      if (stopping) await running.stop();
      return running;
    });
    return { endpoint, started: sinkStarted };
  }

  const stop = async () => {
    stopping = true;
    for (const service of [...started].reverse()) await service.stop();
    await releaseDataDir().catch(() => {});
  };
  try {
    const postgres = await startPostgres(config.postgres, config.dataDir, log);
    started.push(postgres);
    const ran = await migrate(postgres.endpoint.url, log);
    if (ran.length > 0) log(`applied migrations: ${ran.join(', ')}`);
    const temporal = track('temporal', temporalCli, Boolean(config.temporal.address), () =>
      startTemporal(config.temporal, config.dataDir, config.cacheDir, log),
    );
    const weaviate = track('weaviate', weaviateServer, Boolean(config.weaviate.url), () =>
      startWeaviate(config.weaviate, config.dataDir, config.cacheDir, log),
    );
    const mailSink = config.mailpit.enabled ? startMailSink() : undefined;
    // Whoever awaits them sees a failure; these only keep an unawaited one from crashing the process.
    temporal.catch(() => {});
    weaviate.catch(() => {});
    mailSink?.started.catch(() => {});
    const env = {
      ...serviceEnv({
        postgres,
        temporal: { endpoint: plannedTemporal(config), origin: config.temporal.address ? 'env' : 'local' },
        weaviate: { endpoint: plannedWeaviate(config), origin: config.weaviate.url ? 'env' : 'local' },
      }),
      [STARTUP_STATUS_ENV]: statusFile,
    };
    return { postgres, temporal, weaviate, ...(mailSink ? { mailSink } : {}), env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
