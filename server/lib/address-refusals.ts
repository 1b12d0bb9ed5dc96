// Refused ingest deliveries counted per client address in a fixed window. The per-source rate
// limit is keyed by the name in the URL, so a prober rotating names would get a fresh limit
// for each; this one follows the address instead, and only counts refusals, so a busy sender
// that signs correctly is never slowed by it.

export const REFUSALS_PER_MINUTE = 60;

export class AddressRefusals {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #max: number;
  readonly #windowMs: number;

  constructor(max = REFUSALS_PER_MINUTE, windowMs = 60_000) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Seconds until the address may try again, or 0 when it is not blocked. */
  blockedFor(address: string, now = Date.now()): number {
    const window = this.#windows.get(address);
    if (!window || window.resetAt <= now || window.count < this.#max) return 0;
    return Math.ceil((window.resetAt - now) / 1000);
  }

  record(address: string, now = Date.now()): void {
    const window = this.#windows.get(address);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    // Bounded memory: expired windows go first, and a flood of addresses only resets the counts.
    if (this.#windows.size >= 10_000) {
      for (const [key, value] of this.#windows) if (value.resetAt <= now) this.#windows.delete(key);
      if (this.#windows.size >= 10_000) this.#windows.clear();
    }
    this.#windows.set(address, { count: 1, resetAt: now + this.#windowMs });
  }
}
