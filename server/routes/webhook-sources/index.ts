import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import {
  createWebhookSource,
  deleteWebhookSource,
  listWebhookSources,
  rotateWebhookSourceSecret,
} from '../../../store/webhook-sources.ts';
import { conflict, notFound } from '../../lib/http-errors.ts';
import { getMailAccount } from '../../../store/mail-accounts.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import {
  createSourceBody,
  DEFAULT_OVERLAP_HOURS,
  rotateSourceBody,
  sourceParams,
  webhookSourceReply,
  webhookSourceWithSecretReply,
} from '../../schemas/ingest.ts';

const tags = ['ingest'];
const HOUR_MS = 60 * 60 * 1000;

/**
 * Webhook sources: each has its own signing secret, sealed at rest and shown once, when the source
 * is created or its secret rotated. Every change forgets ingest's cached copy of the source.
 */
export const webhookSourceRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db, keyring } = app.services;

  app.get(
    '/',
    {
      schema: {
        tags,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['sources'],
            properties: { sources: { type: 'array', items: webhookSourceReply } },
          },
        },
      },
    },
    async () => ({ sources: await listWebhookSources(db) }),
  );

  app.post(
    '/',
    { schema: { tags, body: createSourceBody, response: { 201: webhookSourceWithSecretReply } } },
    async (request, reply) => {
      // Bodies are validated without applying defaults (server/plugins/app/validation.ts): the default kind is set here.
      const { name, kind = 'webhook', rateLimitPerMinute } = request.body;
      // A mail account's id is the source name its mail is ingested under: one name, one sender.
      if (await getMailAccount(db, name))
        throw conflict(`a mail account named "${name}" exists; its mail is ingested under that name`, '/name');
      const source = await createWebhookSource(db, keyring, {
        name,
        kind,
        ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
      });
      if (!source) throw conflict(`a webhook source named "${name}" exists`, '/name');
      app.ingestSources.forget(name);
      return reply.code(201).send(source);
    },
  );

  app.post(
    '/:name/rotate',
    {
      schema: {
        tags,
        params: sourceParams,
        body: rotateSourceBody,
        response: { 200: webhookSourceWithSecretReply },
        description:
          'Gives the source a new signing secret, shown once in this answer. The previous secret keeps verifying ' +
          `for overlapHours (default ${DEFAULT_OVERLAP_HOURS}; 0 stops it at once); rotating again ends an earlier overlap.`,
      },
      preValidation: optionalBody,
    },
    async (request) => {
      const { name } = request.params;
      const overlapHours = request.body.overlapHours ?? DEFAULT_OVERLAP_HOURS;
      const source = await rotateWebhookSourceSecret(db, keyring, name, overlapHours * HOUR_MS);
      if (!source) throw notFound('webhook source', '/params/name');
      app.ingestSources.forget(name);
      return source;
    },
  );

  app.delete(
    '/:name',
    {
      schema: {
        tags,
        params: sourceParams,
        description:
          'Deletes the source and its secrets. Its events stay; further deliveries are refused like those to an ' +
          'unknown source (401), and the name may be used again.',
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!(await deleteWebhookSource(db, name))) throw notFound('webhook source', '/params/name');
      app.ingestSources.forget(name);
      return reply.code(204).send();
    },
  );

  return Promise.resolve();
};
