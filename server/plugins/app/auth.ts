import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findToken, hashToken, revokeToken, sameToken, touchToken } from '../../../store/tokens.ts';
import { unauthorized } from '../../lib/http-errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `token` (default under /api): a bearer token; `signature-or-token`: ingest checks a webhook signature itself. */
    auth?: 'token' | 'signature-or-token';
  }
  interface FastifyInstance {
    auth: Auth;
  }
  interface FastifyRequest {
    /** The token's id (`env` for TRELLIS_API_TOKEN) once the request showed a valid one. */
    tokenId?: string;
  }
}

export interface Auth {
  /** The bearer token on a request, checked; undefined when there is none, 401 when it is wrong. */
  check(request: FastifyRequest): Promise<string | undefined>;
  revoke(id: string): Promise<boolean>;
}

const CACHE_MS = 60_000;

/** Bearer tokens: TRELLIS_API_TOKEN, or one of the stored ones (by hash). Lookups are cached for a minute. */
export const authPlugin = fp(
  (app: FastifyInstance, { envToken }: { envToken?: string }, done: () => void) => {
    const known = new Map<string, { id: string; at: number }>();

    async function check(request: FastifyRequest): Promise<string | undefined> {
      const header = request.headers.authorization;
      if (header === undefined) return undefined;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <token>"');
      const token = match[1];
      if (envToken && sameToken(token, envToken)) return 'env';
      const hash = hashToken(token);
      const cached = known.get(hash);
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
      const found = await findToken(app.services.db, token);
      if (!found) throw unauthorized('the token is not valid');
      if (known.size > 1000) known.clear();
      known.set(hash, { id: found.id, at: Date.now() });
      // Last-used time is bookkeeping: the request goes on, but a failure to record it is logged.
      void touchToken(app.services.db, found.id).catch((error: unknown) =>
        request.log.warn({ err: error, tokenId: found.id }, 'could not record when the API token was last used'),
      );
      return found.id;
    }

    app.decorate('auth', {
      check,
      async revoke(id: string) {
        const revoked = await revokeToken(app.services.db, id);
        for (const [hash, entry] of known) if (entry.id === id) known.delete(hash);
        return revoked;
      },
    });
    done();
  },
  { name: 'trellis-auth', dependencies: ['trellis-services'] },
);

/** onRequest hook for the /api scope: every route needs a token unless it says otherwise. */
export async function requireToken(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  const mode = request.routeOptions.config.auth ?? 'token';
  const id = await this.auth.check(request);
  if (id) request.tokenId = id;
  else if (mode === 'token') throw unauthorized('a bearer token is required');
}
