import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { createClient, getClient, listClients } from '../../../store/clients.ts';
import { notFound } from '../../lib/http-errors.ts';
import { forgetClient, requesterOf } from '../../lib/forget-client.ts';
import { getErasure } from '../../../store/client-erasure.ts';
import { idParams } from '../../schemas/common.ts';
import { createClientBody, forgetClientBody, listClientsQuery } from '../../schemas/source-of-truth.ts';
import { pageReply, withCursorErrors } from '../../lib/paging.ts';

const tags = ['source of truth'];

export const clientRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listClientsQuery } }, async (request) => {
    const page = await withCursorErrors(() => listClients(db, request.query));
    return pageReply('clients', page);
  });

  app.post('/', { schema: { tags, body: createClientBody } }, async (request, reply) => {
    const { billing, metadata, ...rest } = request.body;
    const client = await createClient(db, {
      ...rest,
      ...(billing ? { billing: billing } : {}),
      ...(metadata ? { metadata: metadata } : {}),
    });
    return reply.code(201).send({ client });
  });

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => {
    const client = await getClient(db, request.params.id);
    if (!client) throw notFound('client', '/params/id');
    return { client };
  });

  // Erasure: the client's events, memory, corrections and records go, and its key with them, so
  // its run histories can no longer be read (docs/security.md, "Client data in the ledger").
  app.post('/:id/forget', { schema: { tags, params: idParams, body: forgetClientBody } }, async (request) => {
    const erasedBy = await requesterOf(app.services, request.tokenId);
    return forgetClient(app.services, { clientId: request.params.id, erasedBy, reason: request.body.reason });
  });

  app.get('/:id/erasure', { schema: { tags, params: idParams } }, async (request) => {
    const erasure = await getErasure(db, request.params.id);
    if (!erasure) throw notFound('erasure of client', '/params/id');
    return { erasure };
  });

  return Promise.resolve();
};
