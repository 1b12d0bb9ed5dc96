import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { badRequest } from '../../lib/http-errors.ts';
import { memorySearchQuery } from '../../schemas/source-of-truth.ts';

/** GET /api/memory/search: hybrid search over long-term memory, with its fingerprint. */
export const memoryRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/search', { schema: { tags: ['memory'], querystring: memorySearchQuery } }, async (request) => {
    const { q, projectId, clientId, kinds, k, alpha } = request.query;
    const memory = await app.services.memory();
    try {
      return await memory.search(q, {
        filters: {
          ...(projectId ? { projectId } : {}),
          ...(clientId ? { clientId } : {}),
          ...(kinds ? { kinds } : {}),
        },
        ...(k !== undefined ? { k } : {}),
        ...(alpha !== undefined ? { alpha } : {}),
      });
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message, '/query');
      throw error;
    }
  });
  return Promise.resolve();
};
