// How long a listener waits before its next connection attempt. Capped exponential with full
// jitter, so listeners that lost the same server do not come back in step; a refused password
// starts at a minute and grows to a quarter of an hour: retrying it sooner would only lock the
// account at the provider.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Wrong password or a refused login. */
  authBaseMs: number;
  authCapMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  capMs: 60_000,
  authBaseMs: 60_000,
  authCapMs: 15 * 60_000,
};

/** The delay before attempt `failures + 1`, `failures` ≥ 1 consecutive failures of this kind. */
export function backoffDelay(policy: BackoffPolicy, failures: number, auth: boolean, random = Math.random): number {
  const base = auth ? policy.authBaseMs : policy.baseMs;
  const cap = auth ? policy.authCapMs : policy.capMs;
  const ceiling = Math.min(cap, base * 2 ** Math.min(failures - 1, 20));
  // Half fixed, half jitter: never a retry storm, never a zero wait.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
