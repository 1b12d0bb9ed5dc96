import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { getEvent, listEvents } from '../../../store/events.ts';
import { notFound } from '../../lib/http-errors.ts';
import { withCursorErrors } from '../../lib/paging.ts';
import { idParams } from '../../schemas/common.ts';
import { listEventsQuery } from '../../schemas/source-of-truth.ts';

const tags = ['source of truth'];

/** Events as they came in (append-only), newest first. */
export const eventRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listEventsQuery } }, async (request) =>
    withCursorErrors(() => listEvents(db, request.query)),
  );

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => {
    const event = await getEvent(db, request.params.id);
    if (!event) throw notFound('event', '/params/id');
    return { event };
  });

  return Promise.resolve();
};
