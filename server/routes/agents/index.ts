import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { listAgents, updateAgent } from '../../../control/index.ts';
import { agentParams, updateAgentBody } from '../../schemas/control.ts';

const tags = ['agents'];

/** The agent registry: node types bound to a model tier, with role, capabilities, budgets and this month's spend. */
export const agentRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags } }, async () => ({ agents: await listAgents(db) }));

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        params: agentParams,
        body: updateAgentBody,
        description: 'Changes budgets, role, or switches it off.',
      },
      config: { controlErrors: { 404: '/params/id' } },
    },
    async (request) => {
      const { budget, enabled, role } = request.body;
      await updateAgent(db, request.params.id, {
        ...(budget ? { budget } : {}),
        ...(enabled !== undefined ? { enabled } : {}),
        ...(role ? { role } : {}),
      });
      // The registry's view (with this month's spend), as the list gives it.
      const agent = (await listAgents(db)).find((a) => a.id === request.params.id);
      return { agent };
    },
  );

  return Promise.resolve();
};
