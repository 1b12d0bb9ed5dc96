// How the MCP server reaches Trellis: through its own HTTP API, with the caller's token, so that
// every tool gets the API's validation, scopes and errors and nothing is decided twice. In the
// server the calls are in-process (Fastify inject); from `trellis mcp` over stdio they are HTTP.

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiReply {
  status: number;
  body: unknown;
}

export interface ApiCallOptions {
  /** Extra request headers (ingest's Idempotency-Key). */
  headers?: Record<string, string>;
  /** Send `body` as this type, as it is (a string), instead of as JSON. */
  contentType?: string;
}

/** One API call: `path` is below /api and may carry a query string; `body` is sent as JSON unless `contentType` says otherwise. */
export type ApiCaller = (
  method: ApiMethod,
  path: string,
  body?: unknown,
  options?: ApiCallOptions,
) => Promise<ApiReply>;

/** A query string from the defined values (arrays repeat the key, as the API's querystrings read them). */
export function query(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An API refusal as one line: the status, its message and each field it names. */
export function refusal(reply: ApiReply): string {
  const body = (reply.body ?? {}) as { message?: string; errors?: { pointer?: string; message?: string }[] };
  const fields = (body.errors ?? [])
    .filter((e) => e.pointer && e.pointer !== '/')
    .map((e) => `${e.pointer}: ${e.message ?? 'invalid'}`);
  return `${reply.status} ${body.message ?? 'refused'}${fields.length ? ` (${fields.join('; ')})` : ''}`;
}

/** A reply body: its JSON when it is JSON, else the text as it came (an export, a file). */
export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
