import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../services/config.ts';
import { cliTokenPath } from '../../server/lib/first-token.ts';
import { parseBody, type ApiCaller } from '../../server/mcp/api.ts';

// The CLI is an HTTP client of the running server: the same routes, the same checks, the same
// token as the editor. The token comes from TRELLIS_API_TOKEN, else data/secrets/cli-token.json.

export interface ApiClient {
  base: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Sends bytes as they are (ingest): `contentType` says what they are. */
  send<T>(method: string, path: string, bytes: Uint8Array, contentType: string): Promise<T>;
  /** The response as it came, for routes whose error statuses carry a body (health's 503). */
  raw(method: string, path: string): Promise<Response>;
  /** Any call, answered with its status and parsed body whatever the status (the MCP bridge). */
  exchange: ApiCaller;
}

export class ApiCallError extends Error {
  readonly status: number;
  /** The reply's JSON body, when it had one (a refused ingest still names its stored event). */
  readonly body: unknown;
  constructor(status: number, message: string, body?: unknown) {
    super(message);
    this.name = 'ApiCallError';
    this.status = status;
    this.body = body;
  }
}

function readToken(dataDir: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.TRELLIS_API_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = cliTokenPath(dataDir);
  if (!existsSync(file)) {
    throw new Error(`no API token: set TRELLIS_API_TOKEN, or start Trellis once (it writes ${file})`);
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as { token: string }).token;
}

async function parse<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (body ?? {}) as {
      message?: string;
      errors?: { pointer?: string; message?: string; nodeId?: string; port?: string }[];
    };
    // Field errors carry a pointer; graph errors (422 on publish) name the node and port instead.
    const fields = (error.errors ?? []).flatMap((e) => {
      const where = [e.nodeId && `node ${e.nodeId}`, e.port && `port ${e.port}`, e.pointer !== '/' && e.pointer]
        .filter(Boolean)
        .join(' ');
      return where ? [`${where}: ${e.message}`] : [];
    });
    const detail = fields.length > 0 ? ` (${fields.join('; ')})` : '';
    const message = error.message ?? (fields.length > 0 ? 'refused' : response.statusText);
    throw new ApiCallError(response.status, `${what}: ${response.status} ${message}${detail}`, body);
  }
  return body as T;
}

export function apiClient(env: NodeJS.ProcessEnv = process.env): ApiClient {
  const config = loadConfig(env);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base =
    env.TRELLIS_URL?.replace(/\/$/, '') ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  let token: string | undefined;
  const authorization = () => `Bearer ${(token ??= readToken(config.dataDir, env))}`;
  const call = async (
    method: string,
    path: string,
    init: { body?: string | Uint8Array; contentType?: string; headers?: Record<string, string> },
  ) => {
    const response = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        authorization: authorization(),
        ...init.headers,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    }).catch((error: Error) => {
      throw new Error(`cannot reach the Trellis server at ${base} (${error.message}); is it running (trellis up)?`);
    });
    return response;
  };
  return {
    base,
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await call(
        method,
        path,
        body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' },
      );
      return parse<T>(response, `${method} ${path}`);
    },
    async send<T>(method: string, path: string, bytes: Uint8Array, contentType: string) {
      return parse<T>(await call(method, path, { body: bytes, contentType }), `${method} ${path}`);
    },
    raw: (method: string, path: string) => call(method, path, {}),
    async exchange(method, path, body, options) {
      const response = await call(method, path, {
        ...(options?.headers ? { headers: options.headers } : {}),
        ...(body === undefined
          ? {}
          : options?.contentType
            ? { body: typeof body === 'string' ? body : JSON.stringify(body), contentType: options.contentType }
            : { body: JSON.stringify(body), contentType: 'application/json' }),
      });
      return { status: response.status, body: parseBody(await response.text()) };
    },
  };
}
