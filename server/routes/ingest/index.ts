import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyRequest } from 'fastify';
import { dispatchContextOf } from '../../lib/event-routing.ts';
import { FILE_LIMIT, fileTypes, JSON_LIMIT, jsonTypes, openGate, passGate } from '../../lib/ingest-gate.ts';
import { ingestDelivery } from '../../lib/ingest.ts';
import { ingestLimits } from '../../lib/ingest-limits.ts';
import { answerOf, ingestStatus } from './answer.ts';
import { ingestHeaders, ingestParams, ingestQuery } from '../../schemas/ingest.ts';

/**
 * POST /api/ingest/:source: a signed webhook, an email (message/rfc822) or a document. The source
 * and the signature headers are checked before the body is read (server/lib/ingest-gate.ts); the
 * body is kept as bytes (the signature covers the exact bytes), stored as an event before the 202.
 */
export const ingestRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const sources = app.ingestSources;
  const limits = ingestLimits(app, sources);
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
          'The signature headers and the source are checked before the body is read; an unknown source answers ' +
          'like a wrong signature (401). Stored durably before the 202, then routed (intent router rules, the ' +
          'workflows wired to the source, or triage); a duplicate (same idempotency key) returns the first event ' +
          'and starts nothing new.',
      },
      config: {
        auth: 'signature-or-token',
      },
      // An address that keeps failing authentication (probing source names, guessing signatures) is
      // turned away before anything is looked up or read.
      onRequest: (request, reply) => limits.turnAwayRefused(request, reply),
      preParsing: (request, reply, payload) => openGate(app.services.db, sources, request, reply, payload),
      onResponse: async (request, reply) => {
        if (reply.statusCode === 401) await limits.countRefusal(request);
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { source, signature } = passGate(request, body);
      await limits.checkSourceRate(request, reply, source.name);
      const result = await ingestDelivery(
        {
          ...dispatchContextOf(app),
          sources,
          senderTrust: { trustedAuthservIds: app.trellisConfig.trustedAuthservIds ?? [] },
        },
        {
          source,
          body,
          ...(signature ? { signature } : {}),
          ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}),
          headers: request.headers,
          ...(request.query.uri ? { uri: request.query.uri } : {}),
          ...(request.query.version ? { version: request.query.version } : {}),
          ...(request.query.kind ? { kind: request.query.kind } : {}),
          ...(request.query.meetingAt ? { meetingAt: request.query.meetingAt } : {}),
        },
      );
      return reply.code(ingestStatus(result)).send(answerOf(result));
    },
  );
  return Promise.resolve();
};
