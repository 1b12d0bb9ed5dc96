import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { closeSession, findSession, openSession } from '../../../store/sessions.ts';
import { tokenScopes } from '../../../store/tokens.ts';
import { forbidden, unauthorized } from '../../lib/http-errors.ts';
import {
  clearSessionCookie,
  fromThisOrigin,
  SESSION_LIFETIME_MS,
  sessionIdOf,
  setSessionCookie,
} from '../../lib/session-cookie.ts';

const tags = ['session'];

const signInBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;

const sessionReply = {
  type: 'object',
  required: ['tokenId', 'scopes', 'via'],
  properties: {
    tokenId: { type: 'string' },
    scopes: { type: 'array', items: { enum: tokenScopes } },
    via: { enum: ['bearer', 'session'] },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

/**
 * The editor's sign-in: a token in the body opens a session kept in an httpOnly, SameSite=Strict
 * cookie, so the page never holds the token. GET says who is signed in; DELETE signs out.
 */
export const sessionRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.post(
    '/',
    {
      schema: {
        tags,
        body: signInBody,
        security: [],
        response: { 201: sessionReply },
        description: 'Signs a browser in: sets the session cookie. The token is checked, not stored.',
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      // A page of another origin must not sign the browser in with its own token (login CSRF).
      if (!fromThisOrigin(request, { strict: false }))
        throw forbidden('a sign-in from another origin is refused', '/headers/origin');
      const principal = await app.auth.checkToken(request.body.token);
      if (!principal) throw unauthorized('the token is not valid', '/token');
      const session = await openSession(app.services.db, principal, SESSION_LIFETIME_MS);
      setSessionCookie(request, reply, session.id);
      return reply
        .code(201)
        .send({ tokenId: principal.id, scopes: [...principal.scopes], via: 'session', expiresAt: session.expiresAt });
    },
  );

  app.get('/', { schema: { tags, response: { 200: sessionReply } } }, async (request) => {
    const principal = request.principal!;
    const sessionId = sessionIdOf(request);
    const session =
      principal.via === 'session' && sessionId ? await findSession(app.services.db, sessionId) : undefined;
    return {
      tokenId: principal.id,
      scopes: [...principal.scopes],
      via: principal.via,
      ...(session ? { expiresAt: session.expiresAt } : {}),
    };
  });

  app.delete(
    '/',
    {
      schema: { tags, security: [], description: 'Signs out: ends the session and clears its cookie.' },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      if (!fromThisOrigin(request, { strict: false }))
        throw forbidden('a sign-out from another origin is refused', '/headers/origin');
      const sessionId = sessionIdOf(request);
      if (sessionId) await closeSession(app.services.db, sessionId);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );

  return Promise.resolve();
};
