import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The OpenAPI 3.1 document, built from the routes' own schemas (JSON Schema 2020-12, as OpenAPI
 * 3.1 takes it), at /api/openapi.json, and Swagger UI at /api/docs. Both are open: they hold
 * no data, and a browser cannot send a bearer token with a page load.
 */
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
            bearer: { type: 'http', scheme: 'bearer', description: 'A Trellis API token (created at first start).' },
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
