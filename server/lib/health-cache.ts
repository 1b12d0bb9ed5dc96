import type { TrellisConfig } from '../../services/config.ts';
import { checkHealth, type HealthReport } from '../../services/health.ts';

/** One outbound check per service per this long, whatever the request rate. */
export const HEALTH_CACHE_MS = 3_000;

export interface CachedHealth {
  report: HealthReport;
  /** How many times the services were actually checked since the server started. */
  checks: number;
  checkedAt: string;
}

/**
 * /api/health answers from the last check while it is fresh; concurrent requests after that
 * share one new check, so a flood of requests never becomes a flood of outbound connections.
 */
export function createHealthCache(
  config: TrellisConfig,
  check: (config: TrellisConfig) => Promise<HealthReport> = checkHealth,
  maxAgeMs = HEALTH_CACHE_MS,
) {
  let last: { value: CachedHealth; at: number } | undefined;
  let inFlight: Promise<CachedHealth> | undefined;
  let checks = 0;
  return {
    get(): Promise<CachedHealth> {
      if (last && Date.now() - last.at < maxAgeMs) return Promise.resolve(last.value);
      inFlight ??= (async () => {
        checks += 1;
        try {
          const report = await check(config);
          const value = { report, checks, checkedAt: new Date().toISOString() };
          last = { value, at: Date.now() };
          return value;
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
  };
}
