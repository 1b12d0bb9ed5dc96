import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { minutes } from './go-build-progress.ts';

// `trellis up` starts the server as soon as the database is ready, while Temporal and Weaviate may
// still be building from Go source (minutes on a fresh machine). It writes how far each has come
// to a file its children read, so the API can answer "still being built" instead of hanging.

export const STARTUP_STATUS_ENV = 'TRELLIS_STARTUP_STATUS';

export type StartupState = 'building' | 'starting' | 'ready' | 'failed';

export interface ServiceStartup {
  state: StartupState;
  /** While building: the share of packages compiled, and the estimated seconds left. */
  percent?: number;
  leftSeconds?: number;
  error?: string;
}

export interface StartupStatus {
  temporal?: ServiceStartup;
  weaviate?: ServiceStartup;
}

export type StartupService = keyof StartupStatus;

const labels: Record<StartupService, string> = { temporal: 'Temporal', weaviate: 'Weaviate' };

export function writeStartupStatus(file: string, status: StartupStatus): void {
  // Written whole then renamed: a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(status)}\n`);
  renameSync(`${file}.tmp`, file);
}

let cached: { file: string; at: number; status: StartupStatus | undefined } | undefined;

/** The status `trellis up` writes, read at most once a second; undefined outside `up`. */
export function readStartupStatus(env: NodeJS.ProcessEnv = process.env): StartupStatus | undefined {
  const file = env[STARTUP_STATUS_ENV];
  if (!file) return undefined;
  if (cached?.file === file && Date.now() - cached.at < 1_000) return cached.status;
  let status: StartupStatus | undefined;
  try {
    status = JSON.parse(readFileSync(file, 'utf8')) as StartupStatus;
  } catch {
    status = undefined;
  }
  cached = { file, at: Date.now(), status };
  return status;
}

/** A service that `up` has not got running yet (building, starting or failed); undefined once ready. */
export function notYetUp(service: StartupService, env: NodeJS.ProcessEnv = process.env): ServiceStartup | undefined {
  const startup = readStartupStatus(env)?.[service];
  return startup && startup.state !== 'ready' ? startup : undefined;
}

/** For the health report and the editor: "building (42 %)", "starting", "failed". */
export function startupLabel(startup: ServiceStartup): string {
  return startup.state === 'building' ? `building (${startup.percent ?? 0} %)` : startup.state;
}

/** What a request that needs the service is told. */
export function startupMessage(service: StartupService, startup: ServiceStartup): string {
  const name = labels[service];
  if (startup.state === 'building')
    return startup.leftSeconds === undefined
      ? `${name} is still being built (${startup.percent ?? 0} %)`
      : `${name} is still being built: about ${minutes(startup.leftSeconds)} left`;
  if (startup.state === 'failed') return `${name} failed to start: ${startup.error ?? 'see the logs'}`;
  return `${name} is starting`;
}

/** When to ask again: the time left of a build (between 5 s and 5 min), else a few seconds. */
export function retryAfterSeconds(startup: ServiceStartup): number {
  if (startup.state === 'building' && startup.leftSeconds !== undefined)
    return Math.min(300, Math.max(5, Math.round(startup.leftSeconds)));
  return startup.state === 'failed' ? 60 : 5;
}
