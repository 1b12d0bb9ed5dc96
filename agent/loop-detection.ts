// An agent asking for the same thing again and again is stuck: a person should look.

/** How many identical requests (same tool, same argument digest) end the loop. */
export const REPEAT_LIMIT = 3;

/** Counts requests by tool and argument digest; `record` says when the limit is reached. */
export class RepeatDetector {
  readonly #seen = new Map<string, number>();

  /** Records one request; returns the reason to stop when it is the REPEAT_LIMIT-th identical one. */
  record(tool: string, digest: string): string | undefined {
    const key = `${tool}\u0000${digest}`;
    const count = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.set(key, count);
    if (count < REPEAT_LIMIT) return undefined;
    return `loop detected: ${tool} requested ${count} times with the same arguments (digest ${digest.slice(0, 12)})`;
  }
}
