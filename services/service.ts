import type { ServiceOrigin } from './config.ts';
import type { ManagedProcess } from './child-process.ts';

/** A service Trellis talks to, whether it started it or found it configured. */
export interface RunningService<Endpoint> {
  name: string;
  origin: ServiceOrigin;
  endpoint: Endpoint;
  /** Where the binary came from when Trellis started the service (PATH, cache, built). */
  binary?: { path: string; from: string };
  process?: ManagedProcess;
  /** Starts the service again on the same endpoint (after a crash) and resolves once it is ready. */
  respawn?: () => Promise<ManagedProcess>;
  stop(): Promise<void>;
}

export function externalService<Endpoint>(name: string, endpoint: Endpoint): RunningService<Endpoint> {
  return { name, origin: 'env', endpoint, stop: () => Promise.resolve() };
}

export type Log = (line: string) => void;
