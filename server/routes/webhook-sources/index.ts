import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { createWebhookSource, listWebhookSources } from '../../../store/webhook-sources.ts';
import { conflict } from '../../lib/http-errors.ts';
import { createSourceBody } from '../../schemas/ingest.ts';

const tags = ['ingest'];

/** Webhook sources: each has its own signing secret, shown once when the source is created. */
export const webhookSourceRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags } }, async () => ({ sources: await listWebhookSources(app.services.db) }));

  app.post('/', { schema: { tags, body: createSourceBody } }, async (request, reply) => {
    const { name, kind, rateLimitPerMinute } = request.body;
    const source = await createWebhookSource(app.services.db, {
      name,
      kind,
      ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
    });
    if (!source) throw conflict(`a webhook source named "${name}" exists`, '/name');
    app.ingestSources.forget(name);
    return reply.code(201).send(source);
  });

  return Promise.resolve();
};
