import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { createToken, listTokens, tokenScopes } from '../../../store/tokens.ts';
import { notFound } from '../../lib/http-errors.ts';
import { idParams } from '../../schemas/common.ts';

const createTokenBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    scopes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: tokenScopes },
      description: 'read: look only; act: also run workflows, decide reviews, ingest, extract; admin: everything.',
    },
  },
} as const;

/** API tokens (admin only, server/lib/scopes.ts): the plaintext is in the 201 reply and nowhere else. */
export const tokenRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags: ['tokens'] } }, async () => ({ tokens: await listTokens(app.services.db) }));

  app.post('/', { schema: { tags: ['tokens'], body: createTokenBody } }, async (request, reply) => {
    const { token, plaintext } = await createToken(app.services.db, request.body.name, request.body.scopes);
    return reply.code(201).send({ ...token, token: plaintext });
  });

  app.delete('/:id', { schema: { tags: ['tokens'], params: idParams } }, async (request, reply) => {
    if (!(await app.auth.revoke(request.params.id))) throw notFound('token', '/params/id');
    return reply.code(204).send();
  });

  return Promise.resolve();
};
