import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { readFileSync } from 'node:fs';
import { scopeFor } from '../../lib/scopes.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The OpenAPI 3.1 document, built from the routes' own schemas (JSON Schema 2020-12, as OpenAPI
 * 3.1 takes it), at /api/openapi.json, and Swagger UI at /api/docs. Both are open: they hold
 * no data, and a browser cannot send a bearer token with a page load.
 */
/** Each /api operation's security names the token scope it needs (server/lib/scopes.ts). */
function withScope(schema: FastifySchema | undefined, method: string | string[], url: string): FastifySchema {
  const base = (schema ?? {}) as FastifySchema & { security?: Record<string, string[]>[] };
  const verb = Array.isArray(method) ? (method[0] ?? 'GET') : method;
  // /api/health is open (no token), like a sign-in or sign-out route that says so with security: [].
  if (
    !url.startsWith('/api/') ||
    url.startsWith('/api/health') ||
    (base.security !== undefined && base.security.length === 0)
  )
    return base;
  const scope = scopeFor(verb, url);
  const security = (base.security ?? [{ bearer: [] }]).map((requirement) =>
    'bearer' in requirement ? { ...requirement, bearer: [scope] } : requirement,
  );
  return { ...base, security, 'x-trellis-scope': scope } as FastifySchema;
}

export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Trellis API',
          version: pkg.version,
          description: 'Workflows, runs, review queue, ingest and the source of truth. Contract: docs/API.md.',
        },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description:
                'A Trellis API token (created at first start). Each operation lists the scope it needs ' +
                '(read ⊂ act ⊂ admin); the editor signs in with POST /api/session and a session cookie instead.',
            },
            signature: {
              type: 'apiKey',
              in: 'header',
              name: 'X-Trellis-Signature',
              description: 'sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>, with X-Trellis-Timestamp.',
            },
          },
        },
        security: [{ bearer: [] }],
      },
      transform: ({ schema, url, route }) => ({ schema: withScope(schema, route.method, url), url }),
      // Components are named by the contract's title (Event, WorkflowGraph…) instead of def-N.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.title === 'string' ? json.title.replace(/[^A-Za-z0-9._-]/g, '') : `def-${index}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  },
  { name: 'trellis-docs' },
);
