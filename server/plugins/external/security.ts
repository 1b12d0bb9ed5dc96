import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every reply (helmet's defaults: CSP 'self', no sniffing, no framing);
 * no CORS plugin, so browsers on other origins cannot read replies. The rate limiter is
 * registered without a global limit: routes opt in (ingest limits each webhook source).
 *
 * Scripts load only from this origin and are never evaluated from strings: no 'unsafe-eval', no
 * inline script. The editor's forms validate with Ajv, which compiles schemas to functions, so
 * the server compiles them (server/lib/form-validators.ts) and the page imports the result as
 * a module of this origin. The editor signs in with an httpOnly session cookie, so a script
 * that got into the page anyway would find no token to take.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"] } },
    });
    await app.register(rateLimit, { global: false });
  },
  { name: 'trellis-security' },
);
