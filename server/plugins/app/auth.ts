import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findSession } from '../../../store/sessions.ts';
import { findToken, hashToken, revokeToken, sameToken, touchToken, type TokenScope } from '../../../store/tokens.ts';
import { forbidden, unauthorized } from '../../lib/http-errors.ts';
import { grants, scopeFor } from '../../lib/scopes.ts';
import { fromThisOrigin, SESSION_COOKIE, sessionIdOf } from '../../lib/session-cookie.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `token` (default under /api): a bearer token or the editor's session cookie;
     * `signature-or-token`: ingest checks a webhook signature itself; `public`: no credentials (sign-in).
     */
    auth?: 'token' | 'signature-or-token' | 'public';
    /** The scope the route needs, when it differs from server/lib/scopes.ts's table. */
    scope?: TokenScope;
  }
  interface FastifyInstance {
    auth: Auth;
  }
  interface FastifyRequest {
    /** The token's id (`env` for TRELLIS_API_TOKEN) once the request showed a valid one. */
    tokenId?: string;
    /** The checked credentials, with their scopes. */
    principal?: Principal;
  }
}

/** Who is asking: the token (directly, or through a browser session opened with it) and what it may do. */
export interface Principal {
  id: string;
  scopes: readonly TokenScope[];
  via: 'bearer' | 'session';
}

export interface Auth {
  /** The credentials on a request, checked; undefined when there are none, 401 when they are wrong. */
  check(request: FastifyRequest): Promise<Principal | undefined>;
  /** A bearer token's plaintext, checked (sign-in takes it in the body). */
  checkToken(token: string): Promise<Principal | undefined>;
  revoke(id: string): Promise<boolean>;
}

const CACHE_MS = 60_000;

/** Bearer tokens: TRELLIS_API_TOKEN (admin), or one of the stored ones (by hash), cached for a minute; or a session cookie. */
export const authPlugin = fp(
  (app: FastifyInstance, { envToken }: { envToken?: string }, done: () => void) => {
    const known = new Map<string, { principal: Principal; at: number }>();

    async function checkToken(token: string): Promise<Principal | undefined> {
      if (envToken && sameToken(token, envToken)) return { id: 'env', scopes: ['admin'], via: 'bearer' };
      const hash = hashToken(token);
      const cached = known.get(hash);
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.principal;
      const found = await findToken(app.services.db, token);
      if (!found) return undefined;
      const principal: Principal = { id: found.id, scopes: found.scopes, via: 'bearer' };
      if (known.size > 1000) known.clear();
      known.set(hash, { principal, at: Date.now() });
      // Last-used time is bookkeeping: the request goes on, but a failure to record it is logged.
      void touchToken(app.services.db, found.id).catch((error: unknown) =>
        app.log.warn({ err: error, tokenId: found.id }, 'could not record when the API token was last used'),
      );
      return principal;
    }

    async function check(request: FastifyRequest): Promise<Principal | undefined> {
      const header = request.headers.authorization;
      if (header === undefined) {
        const sessionId = sessionIdOf(request);
        if (sessionId === undefined) return undefined;
        const session = await findSession(app.services.db, sessionId);
        // A session opened with TRELLIS_API_TOKEN lasts only while the server has one.
        if (!session || (session.tokenId === 'env' && !envToken))
          throw unauthorized('the session has ended: sign in again', `/cookies/${SESSION_COOKIE}`);
        return { id: session.tokenId, scopes: session.scopes, via: 'session' };
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <token>"');
      const principal = await checkToken(match[1]);
      if (!principal) throw unauthorized('the token is not valid');
      return principal;
    }

    app.decorate('auth', {
      check,
      checkToken,
      async revoke(id: string) {
        const revoked = await revokeToken(app.services.db, id);
        for (const [hash, entry] of known) if (entry.principal.id === id) known.delete(hash);
        return revoked;
      },
    });
    done();
  },
  { name: 'trellis-auth', dependencies: ['trellis-services'] },
);

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook for the /api scope: every route needs credentials unless it says otherwise, and
 * the scope its method and route need (server/lib/scopes.ts). A session cookie changes state
 * only from this server's own pages.
 */
export async function requireToken(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  const { config } = request.routeOptions;
  const mode = config.auth ?? 'token';
  if (mode === 'public') return;
  const principal = await this.auth.check(request);
  if (!principal) {
    if (mode === 'token') throw unauthorized('a bearer token is required');
    return;
  }
  if (principal.via === 'session' && !safeMethods.has(request.method) && !fromThisOrigin(request, { strict: true }))
    throw forbidden('a request from another origin cannot use the session cookie', '/headers/origin');
  const route = request.routeOptions.url;
  // An unknown route answers 404 whatever the scope.
  if (route !== undefined) {
    const needed = config.scope ?? scopeFor(request.method, route);
    if (!grants(principal.scopes, needed))
      throw forbidden(`this needs a token with the "${needed}" scope (this one has: ${principal.scopes.join(', ')})`);
  }
  request.tokenId = principal.id;
  request.principal = principal;
}
