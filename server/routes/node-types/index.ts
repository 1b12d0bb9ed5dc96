import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';

/** The palette: every registered node type with its schemas and editor hints, without code. */
export const nodeTypeRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags: ['node types'] } }, () => ({
    nodeTypes: app.services.registry
      .list()
      .map(({ run: _run, compensate: _compensate, ...declaration }) => declaration),
  }));
  return Promise.resolve();
};
