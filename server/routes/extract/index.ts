import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { extractEmail } from '../../../extraction/extract.ts';
import { emailInputFromRaw } from '../../../nodes/extract/eml.ts';
import { resolveModels } from '../../../nodes/extract/intent-model.ts';
import { knownClientsOf } from '../../../nodes/extract/known-clients.ts';
import { extractionResultSchema } from '../../../schemas/extraction-result.ts';
import { badRequest } from '../../lib/http-errors.ts';
import { FILE_LIMIT } from '../../lib/ingest-gate.ts';

interface JsonBody {
  message?: unknown;
  now?: unknown;
}

/**
 * POST /api/extract: the extract node's reading of one email, without storing it or starting
 * anything. The body is the message itself (message/rfc822), or JSON `{ "message": "<the .eml
 * text>" }`; `now` (query or JSON) is when it counts as received. Clients in the source of truth
 * are matched by address, domain and name.
 */
export const extractRoutes: FastifyPluginAsync = (app) => {
  const asBuffer = (_request: FastifyRequest, body: Buffer, done: (error: null, body: Buffer) => void) =>
    done(null, body);
  app.addContentTypeParser(
    ['message/rfc822', 'text/plain', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: FILE_LIMIT },
    asBuffer,
  );

  app.post(
    '/',
    {
      bodyLimit: FILE_LIMIT,
      schema: {
        tags: ['extract'],
        description:
          'Reads one email (message/rfc822 body, or JSON {"message": "<eml>"}): intent, client, dates, amounts, actions, each with its span, a calibrated confidence and whether a person should check (route).',
        consumes: ['message/rfc822', 'application/json'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            now: { type: 'string', format: 'date-time', description: 'When the message counts as received.' },
          },
        },
        response: { 200: extractionResultSchema },
      },
    },
    async (request) => {
      let raw: Buffer;
      let now = (request.query as { now?: string }).now;
      if (Buffer.isBuffer(request.body)) raw = request.body;
      else {
        const body = (request.body ?? {}) as JsonBody;
        if (typeof body.message !== 'string' || !body.message.trim())
          throw badRequest(
            'a message/rfc822 body, or JSON with "message" (the email as text), is required',
            '/message',
          );
        if (body.now !== undefined && (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now))))
          throw badRequest('must be an ISO 8601 time', '/now');
        raw = Buffer.from(body.message, 'utf8');
        now = typeof body.now === 'string' ? body.now : now;
      }
      if (raw.length === 0) throw badRequest('the message is empty', '/body');
      const input = await emailInputFromRaw(raw, {
        ...(now ? { receivedAt: new Date(now).toISOString() } : {}),
        trustDateHeader: now === undefined,
      }).catch((error: Error) => {
        throw badRequest(error.message, '/message');
      });
      // The live intent model, as the extract node uses it (a retrained one once promoted).
      const { models } = await resolveModels(app.services.db);
      return extractEmail(input, { knownClients: await knownClientsOf(app.services.db), models });
    },
  );
  return Promise.resolve();
};
