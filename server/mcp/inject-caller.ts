// The API called in process, with the MCP client's own Authorization header: the same routes,
// hooks, validation and scopes as over HTTP, without a loopback round trip.
import type { FastifyInstance } from 'fastify';
import { parseBody, type ApiCaller } from './api.ts';

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
    return { status: response.statusCode, body: parseBody(response.body) };
  };
}
