import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every reply (helmet's defaults: CSP 'self', no sniffing, no framing);
 * no CORS plugin, so browsers on other origins cannot read replies. The rate limiter is
 * registered without a global limit: routes opt in (ingest limits each webhook source).
 *
 * The one relaxation: scripts may use eval. The editor validates as you draw with the same
 * Ajv code as the server (schemas/ajv.ts, rjsf's Ajv 8 validator), and Ajv compiles schemas to
 * functions. Node schemas come from plugins at run time, so they cannot be precompiled at build
 * time. Scripts still load only from this origin; no inline script is allowed.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-eval'"] } },
    });
    await app.register(rateLimit, { global: false });
  },
  { name: 'trellis-security' },
);
