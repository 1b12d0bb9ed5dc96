import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { routeEvent } from '../../../control/index.ts';
import { getEvent, listEvents } from '../../../store/events.ts';
import { notFound } from '../../lib/http-errors.ts';
import { withCursorErrors } from '../../lib/paging.ts';
import { idParams } from '../../schemas/common.ts';
import { listEventsQuery } from '../../schemas/source-of-truth.ts';

const tags = ['source of truth'];

/** Events as they came in (append-only), newest first; and routing one through the intent router. */
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

  // Routes once: an event routed before answers with its first decision (duplicate: true).
  app.post(
    '/:id/route',
    { schema: { tags: ['routing'], params: idParams }, config: { controlErrors: { 404: '/params/id' } } },
    async (request) => {
      const event = await getEvent(db, request.params.id);
      if (!event) throw notFound('event', '/params/id');
      return routeEvent(await app.control.deps({ memory: event.clientId !== undefined }), event);
    },
  );

  return Promise.resolve();
};
