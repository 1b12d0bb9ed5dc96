import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every reply (helmet's defaults: CSP 'self', no sniffing, no framing);
 * no CORS plugin, so browsers on other origins cannot read replies. The rate limiter is
 * registered without a global limit: routes opt in (ingest limits each webhook source).
 */
export const securityPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, { global: true });
    await app.register(rateLimit, { global: false });
  },
  { name: 'trellis-security' },
);
