import pRetry, { AbortError } from 'p-retry';
import type { TokenUsage } from './cost.ts';

export type ModelCallFailure = 'timeout' | 'network' | 'http' | 'malformed';

/** A model call that did not produce a usable reply. Its message is already free of secrets. */
export class ModelCallError extends Error {
  readonly failure: ModelCallFailure;
  readonly status: number | undefined;
  /** The start of the response body (redacted), to recognise refusals such as an unsupported option. */
  readonly body: string | undefined;
  attempts = 1;
  /** Tokens the server billed even though the reply was unusable. */
  usage: TokenUsage | undefined;

  constructor(failure: ModelCallFailure, message: string, details: { status?: number; body?: string } = {}) {
    super(message);
    this.name = 'ModelCallError';
    this.failure = failure;
    this.status = details.status;
    this.body = details.body;
  }
}

export interface PostJsonOptions {
  apiKey: string | undefined;
  /** The whole call, retries and backoff included, ends by then. */
  timeoutMs: number;
  /** The caller's whole budget when timeoutMs is what is left of it, so a timeout names the budget asked for. */
  budgetMs?: number;
  /** Retries after the first attempt, on 408/429/5xx and network errors. */
  retries: number;
  signal?: AbortSignal;
  redact: (text: string) => string;
  fetch: typeof fetch;
}

export interface PostJsonResult {
  json: unknown;
  attempts: number;
}

const BODY_SNIPPET = 300;

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * POSTs JSON and returns the parsed reply, retrying with exponential backoff (p-retry: it caps
 * the backoff to the time left and stops on abort, which a hand-written loop would re-implement)
 * within one timeout that covers every attempt.
 */
export async function postJson(url: string, body: unknown, options: PostJsonOptions): Promise<PostJsonResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const payload = JSON.stringify(body);
  let attempts = 0;

  const attempt = async (): Promise<unknown> => {
    attempts += 1;
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, { method: 'POST', headers, body: payload, signal });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ModelCallError('network', `network error: ${options.redact(describeNetworkError(error))}`);
    }
    const snippet = options.redact(text.slice(0, BODY_SNIPPET));
    if (!response.ok) {
      const failure = new ModelCallError('http', `HTTP ${response.status}: ${snippet}`, {
        status: response.status,
        body: snippet,
      });
      throw isRetryableStatus(response.status) ? failure : new AbortError(failure);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AbortError(new ModelCallError('malformed', `reply is not JSON: ${snippet}`));
    }
  };

  try {
    const json = await pRetry(attempt, {
      retries: options.retries,
      factor: 2,
      minTimeout: 200,
      maxTimeout: 4_000,
      randomize: true,
      maxRetryTime: options.timeoutMs,
      signal,
      shouldRetry: ({ error }) => error instanceof ModelCallError,
    });
    return { json, attempts };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const failure =
      error instanceof ModelCallError
        ? error
        : timeout.aborted
          ? new ModelCallError('timeout', `timed out after ${options.budgetMs ?? options.timeoutMs} ms`)
          : new ModelCallError('network', options.redact((error as Error).message));
    failure.attempts = attempts;
    throw failure;
  }
}
