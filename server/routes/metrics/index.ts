import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { badRequest } from '../../lib/http-errors.ts';
import { workflowMetrics } from '../../lib/metrics.ts';
import { safeId } from '../../schemas/common.ts';

const metricsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workflowId: { ...safeId, pattern: '^[A-Za-z0-9._-]+$' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
  },
} as const;

const WEEK_MS = 7 * 86_400_000;

/** GET /api/metrics: false-positive rate, time to correction and cost per action, per workflow and ISO week. */
export const metricsRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags: ['metrics'], querystring: metricsQuery } }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : new Date();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 12 * WEEK_MS);
    if (from >= to) throw badRequest('from must be before to', '/query/from');
    return workflowMetrics(app.services.db, await app.services.temporal(), {
      from,
      to,
      ...(request.query.workflowId ? { workflowId: request.query.workflowId } : {}),
    });
  });
  return Promise.resolve();
};
