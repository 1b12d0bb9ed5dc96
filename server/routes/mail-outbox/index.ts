import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { getOutbox, listOutbox, outboxStatuses, resolveOutbox } from '../../../store/mail-outbox.ts';
import { conflict, notFound } from '../../lib/http-errors.ts';
import { idParams, limitQuery } from '../../schemas/common.ts';

const tags = ['mail'];

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { enum: outboxStatuses }, limit: limitQuery },
} as const;

const resolveBody = {
  type: 'object',
  additionalProperties: false,
  required: ['sent'],
  properties: {
    /** true: the message arrived (it is marked sent); false: it did not (the node's next retry sends it). */
    sent: { type: 'boolean' },
  },
} as const;

/**
 * The outbox: what Trellis sent or is sending, without the bytes. An `uncertain` message (the
 * server may or may not have taken it) waits here for a person to say whether it arrived.
 */
export const mailOutboxRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listQuery } }, async (request) => ({
    messages: await listOutbox(db, request.query),
  }));

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => {
    const message = await getOutbox(db, request.params.id);
    if (!message) throw notFound('outbox message', '/params/id');
    return { message };
  });

  app.post('/:id/resolve', { schema: { tags, params: idParams, body: resolveBody } }, async (request) => {
    const by = request.principal ? `token ${request.principal.id}` : 'a person';
    const resolved = await resolveOutbox(db, request.params.id, request.body.sent, by);
    if (resolved) return { message: resolved };
    const current = await getOutbox(db, request.params.id);
    if (!current) throw notFound('outbox message', '/params/id');
    throw conflict(
      `outbox message ${current.id} is ${current.status}, not uncertain: there is nothing to resolve`,
      '/params/id',
    );
  });

  return Promise.resolve();
};
