import {
  notYetUp,
  retryAfterSeconds,
  startupMessage,
  type ServiceStartup,
  type StartupService,
} from '../../services/startup-status.ts';
import { ServiceUnavailableError } from './http-errors.ts';

/**
 * A request needs Temporal or Weaviate while `trellis up` is still building or starting it
 * (services/staged-stack.ts): 503 with a Retry-After and how long it should take, not a hang.
 */
export class ServiceStartingError extends ServiceUnavailableError {
  constructor(service: StartupService, startup: ServiceStartup) {
    super(startupMessage(service, startup), retryAfterSeconds(startup));
    this.name = 'ServiceStartingError';
  }
}

/** Rejects with ServiceStartingError while the service is not up yet, else connects. */
export function onceUp<T>(service: StartupService, env: NodeJS.ProcessEnv, connect: () => Promise<T>): Promise<T> {
  const startup = notYetUp(service, env);
  return startup ? Promise.reject(new ServiceStartingError(service, startup)) : connect();
}
