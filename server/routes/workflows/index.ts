import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyRequest } from 'fastify';
import type { workflowGraphSchema } from '../../../schemas/workflow-graph.ts';
import {
  archiveWorkflow,
  createWorkflow,
  getVersion,
  getWorkflow,
  listVersions,
  listWorkflows,
  updateWorkflow,
  type StoredWorkflow,
} from '../../../store/workflows.ts';
import { exportContentHash, exportIntegrity, type ExportIntegrity } from '../../../workflows/export-hash.ts';
import { validateGraph } from '../../../workflows/validate.ts';
import { checkGraphSize, GRAPH_BODY_LIMIT } from '../../lib/graph-limits.ts';
import { conflict, notFound } from '../../lib/http-errors.ts';
import { publishWorkflow } from '../../lib/publish.ts';
import { startPublishedRun } from '../../lib/runs.ts';
import { deleteSchedule } from '../../lib/schedules.ts';
import { idParams } from '../../schemas/common.ts';
import {
  createWorkflowBody,
  exportDocument,
  importQuery,
  listWorkflowsQuery,
  publishBody,
  startRunBody,
  updateWorkflowBody,
  validateBody,
  versionParams,
} from '../../schemas/workflows.ts';

const tags = ['workflows'];

/** The API's view: the store's row without the archive flag of live workflows. */
function live(workflow: StoredWorkflow | undefined): StoredWorkflow {
  if (!workflow || workflow.archived) throw notFound('workflow', '/params/id');
  return workflow;
}

/** Workflows: drafts, validation, publishing to versions, export/import, and starting runs. */
export const workflowRoutes: FastifyPluginAsyncJsonSchemaToTs<{
  ValidatorSchemaOptions: { references: [typeof workflowGraphSchema] };
}> = (app) => {
  const { db, registry } = app.services;
  const config = app.trellisConfig;

  app.get('/', { schema: { tags, querystring: listWorkflowsQuery } }, async (request) => ({
    workflows: await listWorkflows(db, { includeArchived: request.query.includeArchived }),
  }));

  const graphBody = {
    bodyLimit: GRAPH_BODY_LIMIT,
    preValidation: (request: FastifyRequest, _reply: unknown, done: (error?: Error) => void) => {
      try {
        checkGraphSize(request);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  };

  app.post('/', { schema: { tags, body: createWorkflowBody }, ...graphBody }, async (request, reply) => {
    const { name, description, graph } = request.body;
    const workflow = await createWorkflow(db, { name, description: description ?? '', graph: graph });
    return reply.code(201).send({ workflow });
  });

  app.post('/validate', { schema: { tags, body: validateBody }, ...graphBody }, (request) =>
    validateGraph(request.body.graph, registry),
  );

  // The hash is checked on the body as sent, before validation fills in defaults.
  const integrityOf = new WeakMap<object, ExportIntegrity>();
  app.post(
    '/import',
    {
      schema: { tags, body: exportDocument, querystring: importQuery },
      bodyLimit: GRAPH_BODY_LIMIT,
      preValidation: async (request) => {
        integrityOf.set(request, await exportIntegrity(request.body));
        checkGraphSize(request);
      },
    },
    async (request, reply) => {
      const integrity = integrityOf.get(request) ?? 'unhashed';
      if (integrity === 'modified' && !request.query.acceptModified)
        throw conflict(
          'the file was changed after it was exported (its content no longer matches contentHash): ' +
            'check the change, then import it anyway with ?acceptModified=true',
          '/contentHash',
        );
      const { name, description, graph } = request.body;
      const workflow = await createWorkflow(db, { name, description: description ?? '', graph: graph });
      return reply.code(201).send({ workflow, integrity });
    },
  );

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => ({
    workflow: live(await getWorkflow(db, request.params.id)),
  }));

  app.put('/:id', { schema: { tags, params: idParams, body: updateWorkflowBody }, ...graphBody }, async (request) => {
    const { name, description, graph } = request.body;
    const workflow = await updateWorkflow(db, request.params.id, {
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(graph !== undefined ? { graph: graph } : {}),
    });
    return { workflow: live(workflow) };
  });

  app.delete('/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    if (!(await archiveWorkflow(db, request.params.id))) throw notFound('workflow', '/params/id');
    // An archived workflow must stop firing on its own.
    await deleteSchedule(await app.services.temporal(), request.params.id);
    return reply.code(204).send();
  });

  app.post('/:id/publish', { schema: { tags, params: idParams, body: publishBody } }, async (request, reply) => {
    const { version, created } = await publishWorkflow(db, () => app.services.temporal(), registry, {
      workflowId: request.params.id,
      publishedBy: request.body.publishedBy ?? request.tokenId ?? 'api',
      taskQueue: config.temporal.taskQueue,
    });
    return reply
      .code(created ? 201 : 200)
      .send({ version: version.version, planHash: version.planHash, publishedAt: version.publishedAt, created });
  });

  app.get('/:id/versions', { schema: { tags, params: idParams } }, async (request) => {
    live(await getWorkflow(db, request.params.id));
    return { versions: await listVersions(db, request.params.id) };
  });

  app.get('/:id/versions/:version', { schema: { tags, params: versionParams } }, async (request) => {
    const found = await getVersion(db, request.params.id, request.params.version);
    if (!found) throw notFound('version', '/params/version');
    return found;
  });

  app.get('/:id/export', { schema: { tags, params: idParams } }, async (request, reply) => {
    const workflow = live(await getWorkflow(db, request.params.id));
    const file = `${workflow.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'workflow'}.trellis.json`;
    const document = {
      format: 'trellis-workflow',
      formatVersion: 1,
      name: workflow.name,
      description: workflow.description,
      graph: workflow.graph,
    };
    return reply
      .header('content-disposition', `attachment; filename="${file}"`)
      .send({ ...document, contentHash: await exportContentHash(document) });
  });

  app.post('/:id/runs', { schema: { tags, params: idParams, body: startRunBody } }, async (request, reply) => {
    live(await getWorkflow(db, request.params.id));
    const { input, version, idempotencyKey } = request.body;
    const started = await startPublishedRun(db, await app.services.temporal(), config, {
      workflowId: request.params.id,
      input: {
        ...(input.event ? { event: input.event } : {}),
        ...(input.data ? { data: input.data } : {}),
      },
      ...(version !== undefined ? { version } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return reply.code(202).send(started);
  });

  return Promise.resolve();
};
