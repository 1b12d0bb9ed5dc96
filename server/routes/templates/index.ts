import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { assertValid } from '../../../schemas/ajv.ts';
import { createWorkflow } from '../../../store/workflows.ts';
import { HttpError, notFound } from '../../lib/http-errors.ts';
import { loadTemplates, type TemplatesModule } from '../../lib/templates.ts';
import { templateParams, useTemplateBody } from '../../schemas/templates.ts';

const tags = ['templates'];

async function requireTemplates(): Promise<TemplatesModule> {
  const templates = await loadTemplates();
  if (!templates) throw new HttpError(503, 'the template gallery is not installed', []);
  return templates;
}

/** The template gallery: list, and create a workflow from a template with parameters. */
export const templateRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags } }, async () => ({ templates: (await requireTemplates()).listTemplates() }));

  app.post('/:id/use', { schema: { tags, params: templateParams, body: useTemplateBody } }, async (request, reply) => {
    const templates = await requireTemplates();
    const template = templates.listTemplates().find((t) => t.id === request.params.id);
    if (!template) throw notFound('template', '/params/id');
    const parameters = (request.body.parameters ?? {}) as Record<string, unknown>;
    assertValid(template.parameters, parameters, 'parameters', '/parameters');
    const graph = templates.instantiate(template.id, parameters);
    const workflow = await createWorkflow(app.services.db, {
      name: request.body.name ?? graph.name,
      description: template.description,
      graph: request.body.name ? { ...graph, name: request.body.name } : graph,
      templateId: template.id,
    });
    return reply.code(201).send({ workflow });
  });

  return Promise.resolve();
};
