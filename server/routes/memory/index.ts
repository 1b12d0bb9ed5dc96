import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { badRequest, ServiceUnavailableError } from '../../lib/http-errors.ts';
import { memorySearchQuery } from '../../schemas/source-of-truth.ts';

/** How long a search may wait on the memory service before the caller is told to come back. */
const SEARCH_DEADLINE_MS = 10_000;
const RETRY_AFTER_SECONDS = 5;

function unavailable(error: unknown): ServiceUnavailableError {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  return new ServiceUnavailableError(`memory is unreachable: ${reason}`, RETRY_AFTER_SECONDS);
}

/** The search, or a rejection once the deadline has passed (a stopped Weaviate can leave calls hanging). */
function bounded<T>(search: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${SEARCH_DEADLINE_MS / 1000} s`)), SEARCH_DEADLINE_MS);
  });
  return Promise.race([search, late]).finally(() => clearTimeout(timer));
}

/**
 * GET /api/memory/search: hybrid search over long-term memory, with its fingerprint. While the
 * memory service (Weaviate) is down: 503 with Retry-After and the reason; runs retry on their own.
 */
export const memoryRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/search', { schema: { tags: ['memory'], querystring: memorySearchQuery } }, async (request) => {
    const { q, projectId, clientId, kinds, k, alpha } = request.query;
    const memory = await app.services.memory().catch((error: unknown) => {
      throw unavailable(error);
    });
    try {
      return await bounded(
        memory.search(q, {
          filters: {
            ...(projectId ? { projectId } : {}),
            ...(clientId ? { clientId } : {}),
            ...(kinds ? { kinds } : {}),
          },
          ...(k !== undefined ? { k } : {}),
          ...(alpha !== undefined ? { alpha } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message, '/query');
      // Anything else comes from the memory service, not from the query, which the schema checked.
      throw unavailable(error);
    }
  });
  return Promise.resolve();
};
