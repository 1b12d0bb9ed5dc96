// A bounded poll: what the API tests wait on (a run finishing, a task appearing), failing with the
// last value or error it saw so that a timeout says where things stood.

export interface UntilOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Count a throwing probe as "not yet" (a route that answers 404 until a row exists). */
  retryErrors?: boolean;
}

/** Calls `probe` until it answers something other than undefined, for at most `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100, retryErrors = false }: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const saw = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${saw}`);
}
