import type { FastifyPluginAsync } from 'fastify';
import { createHealthCache, HEALTH_CACHE_MS } from '../../lib/health-cache.ts';
import { HttpError } from '../../lib/http-errors.ts';
import { mailHealth } from './mail.ts';

/**
 * GET /api/health. Without a token: `{ ok }` with 200 or 503, for probes and load balancers.
 * With a valid token: each service's state, version, origin and error, the supervised processes
 * and their restarts, how often the services were checked (at most once per few seconds), and the
 * mail accounts whose IMAP or SMTP side is failing (they do not make `ok` false: the server still works).
 */
export const healthRoutes: FastifyPluginAsync = (app) => {
  const cache = createHealthCache(app.trellisConfig);
  app.get('/', async (request, reply) => {
    // A wrong token is a 401 like anywhere else; no token at all is an anonymous probe. A token that
    // cannot be checked (the database is down) gets the anonymous answer rather than an error.
    const principal = await app.auth.check(request).catch((error: unknown) => {
      if (error instanceof HttpError) throw error;
      return undefined;
    });
    const { report, checks, checkedAt } = await cache.get();
    reply.code(report.ok ? 200 : 503);
    if (!principal) return reply.send({ ok: report.ok });
    const mail = await mailHealth(app.services.db);
    return reply.send({
      ...report,
      checks: { performed: checks, checkedAt, cachedForMs: HEALTH_CACHE_MS },
      ...(mail ? { mail } : {}),
    });
  });
  return Promise.resolve();
};
