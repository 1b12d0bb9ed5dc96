// The API called in process, with the MCP client's own Authorization header: the same routes,
// hooks, validation and scopes as over HTTP, without a loopback round trip.
import type { FastifyInstance } from 'fastify';
import type { ApiCaller } from './api.ts';

export function injectCaller(app: FastifyInstance, authorization: string): ApiCaller {
  return async (method, path, body, options) => {
    const hasBody = body !== undefined;
    const response = await app.inject({
      method,
      url: `/api${path}`,
      headers: {
        authorization,
        ...options?.headers,
        ...(hasBody ? { 'content-type': options?.contentType ?? 'application/json' } : {}),
      },
      ...(hasBody ? { payload: options?.contentType && typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    let parsed: unknown = response.body;
    try {
      parsed = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      // Not JSON (an export, a file): handed on as text.
    }
    return { status: response.statusCode, body: parsed };
  };
}
