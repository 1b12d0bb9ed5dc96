import type { FastifyPluginAsync } from 'fastify';
import { checkHealth } from '../../../services/health.ts';

/** GET /api/health: each service's reachability, version and origin. Open without a token; holds no data. */
export const healthRoutes: FastifyPluginAsync = (app) => {
  app.get('/', async (_request, reply) => {
    const report = await checkHealth(app.trellisConfig);
    return reply.code(report.ok ? 200 : 503).send(report);
  });
  return Promise.resolve();
};
