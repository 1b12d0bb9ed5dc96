import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { createProject, getProject, listProjects } from '../../../store/projects.ts';
import { getClient } from '../../../store/clients.ts';
import { listProjectRecords } from '../../../store/project-records.ts';
import { notFound } from '../../lib/http-errors.ts';
import { pageReply, withCursorErrors } from '../../lib/paging.ts';
import { idParams } from '../../schemas/common.ts';
import { createProjectBody, listProjectsQuery } from '../../schemas/source-of-truth.ts';

const tags = ['source of truth'];

/** Projects and their current records (where outcomes are finalised). */
export const projectRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listProjectsQuery } }, async (request) =>
    pageReply('projects', await withCursorErrors(() => listProjects(db, request.query))),
  );

  app.post('/', { schema: { tags, body: createProjectBody } }, async (request, reply) => {
    const { metadata, ...rest } = request.body;
    if (rest.clientId && !(await getClient(db, rest.clientId))) throw notFound('client', '/clientId');
    const project = await createProject(db, {
      ...rest,
      ...(metadata ? { metadata: metadata } : {}),
    });
    return reply.code(201).send({ project });
  });

  app.get('/:id', { schema: { tags, params: idParams } }, async (request) => {
    const project = await getProject(db, request.params.id);
    if (!project) throw notFound('project', '/params/id');
    const records = await listProjectRecords(db, { projectId: project.id, limit: 500 });
    return { project, records: records.items };
  });

  return Promise.resolve();
};
