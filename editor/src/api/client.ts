// One fetch wrapper for every route: the session cookie goes along by itself (same origin), error
// bodies become ApiError.
import { markSignedOut } from './session.ts';

export interface FieldProblem {
  pointer: string;
  message: string;
}

/** An API error as the contract shapes it: `{ statusCode, error, message, errors? }`. */
export class ApiError extends Error {
  readonly status: number;
  /** Field errors (`{pointer, message}`) or graph errors (`{code, nodeId, pointer, …}`), as sent. */
  readonly errors: unknown[];
  constructor(status: number, message: string, errors: unknown[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    // A refused session (expired, signed out, token revoked) brings the sign-in prompt back.
    if (response.status === 401) markSignedOut();
    const envelope = (parsed ?? {}) as { message?: string; errors?: unknown[] };
    throw new ApiError(
      response.status,
      envelope.message ?? `${response.status} ${response.statusText}`,
      envelope.errors,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};

/** A message for people: the server's message, with the named fields when there are any. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = (error.errors as Partial<FieldProblem>[])
      .filter((e) => e.pointer && e.message)
      .map((e) => `${e.pointer} ${e.message}`);
    return fields.length > 0 ? `${error.message} (${fields.join('; ')})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
