import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyRequest } from 'fastify';
import { dispatchContextOf } from '../../lib/event-routing.ts';
import { FILE_LIMIT, ingestDelivery, JSON_LIMIT } from '../../lib/ingest.ts';
import { ingestHeaders, ingestParams, ingestQuery } from '../../schemas/ingest.ts';

const jsonTypes: (string | RegExp)[] = [
  'application/json',
  /^application\/[\w.+-]+\+json$/,
  'application/x-www-form-urlencoded',
];
const fileTypes: (string | RegExp)[] = [
  'message/rfc822',
  'application/pdf',
  'application/octet-stream',
  /^text\/[\w.+-]+$/,
];

/**
 * POST /api/ingest/:source: a signed webhook, an email (message/rfc822) or a document. The body
 * is kept as bytes (the signature covers the exact bytes), stored as an event before the 202.
 */
export const ingestRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const sources = app.ingestSources;
  // In this scope every body is raw bytes: JSON up to 1 MB, mail and documents up to 10 MB.
  app.removeAllContentTypeParsers();
  const asBuffer = (_request: FastifyRequest, body: Buffer, done: (error: null, body: Buffer) => void) =>
    done(null, body);
  for (const type of jsonTypes) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: JSON_LIMIT }, asBuffer);
  for (const type of fileTypes) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: FILE_LIMIT }, asBuffer);

  app.post(
    '/:source',
    {
      schema: {
        tags: ['ingest'],
        params: ingestParams,
        querystring: ingestQuery,
        headers: ingestHeaders,
        security: [{ signature: [] }, { bearer: [] }],
        description:
          'Signed delivery (X-Trellis-Timestamp, X-Trellis-Signature) or an operator upload with a bearer token. ' +
          'Stored durably before the 202, then routed (intent router rules, the workflows wired to the source, or triage); ' +
          'a duplicate (same idempotency key) returns the first event and starts nothing new.',
      },
      config: {
        auth: 'signature-or-token',
        rateLimit: {
          timeWindow: 60_000,
          keyGenerator: (request) => `ingest:${(request.params as { source?: string }).source ?? ''}`,
          max: async (request) => {
            const name = (request.params as { source?: string }).source ?? '';
            return (await sources.get(app.services.db, name).catch(() => undefined))?.rateLimitPerMinute ?? 600;
          },
        },
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = await ingestDelivery(
        {
          ...dispatchContextOf(app),
          sources,
          senderTrust: { trustedAuthservIds: app.trellisConfig.trustedAuthservIds ?? [] },
        },
        {
          source: request.params.source,
          body,
          ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}),
          headers: request.headers,
          trusted: request.tokenId !== undefined,
          ...(request.query.uri ? { uri: request.query.uri } : {}),
          ...(request.query.version ? { version: request.query.version } : {}),
        },
      );
      return reply.code(202).send(result);
    },
  );
  return Promise.resolve();
};
