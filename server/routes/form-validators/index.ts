import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { compileFormValidator, formValidatorModule } from '../../lib/form-validators.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';

const tags = ['editor'];

const compileBody = {
  type: 'object',
  additionalProperties: false,
  required: ['schema'],
  properties: { schema: { type: 'object', description: 'The JSON Schema of one form.' } },
} as const;

const moduleParams = {
  type: 'object',
  additionalProperties: false,
  required: ['file'],
  properties: { file: { type: 'string', pattern: '^[0-9a-f]{64}\\.js$' } },
} as const;

/**
 * The editor's form validators, compiled here so the browser never evaluates code
 * (server/lib/form-validators.ts): POST a schema, then import the module at the URL answered.
 */
export const formValidatorRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.post(
    '/',
    {
      schema: {
        tags,
        body: compileBody,
        description: 'Compiles a form schema to a validator module; answers its URL (same schema, same URL).',
      },
    },
    async (request, reply) => {
      let key: string;
      try {
        key = compileFormValidator(request.body.schema);
      } catch (error) {
        throw badRequest(`the schema does not compile: ${(error as Error).message}`, '/schema');
      }
      return reply.code(201).send({ url: `/api/form-validators/${key}.js` });
    },
  );

  app.get('/:file', { schema: { tags, params: moduleParams } }, async (request, reply) => {
    const code = formValidatorModule(request.params.file.slice(0, -'.js'.length));
    if (code === undefined) throw notFound('form validator (compile it again)', '/params/file');
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, max-age=3600').send(code);
  });

  return Promise.resolve();
};
