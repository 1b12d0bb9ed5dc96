import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { createClient, getClient, listClients } from '../../../store/clients.ts';
import { notFound } from '../../lib/http-errors.ts';
import { idParams } from '../../schemas/common.ts';
import { createClientBody, listClientsQuery } from '../../schemas/source-of-truth.ts';
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

  return Promise.resolve();
};
