import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { getReport, getRuleSet, listReports, promote, runCanary, type CanaryRequest } from '../../../control/index.ts';
import type { Db } from '../../../store/db.ts';
import { getModel } from '../../../store/extraction-models.ts';
import { getVersion, getWorkflow } from '../../../store/workflows.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { syncPublished } from '../../lib/workflow-schedules.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import { byBody, canaryBody, controlIdParams, listCanariesQuery } from '../../schemas/control.ts';

const tags = ['canaries'];
const onReport = { controlErrors: { 400: '/params/id', 404: '/params/id', 409: '/params/id' } } as const;

/**
 * What the candidate names must exist (404/400 naming the field); a candidate that exists but
 * fails to build or run still gets its report, kept with status `failed`.
 */
async function checkCandidate(db: Db, candidate: CanaryRequest['candidate']): Promise<void> {
  if (candidate.kind === 'rule-set') {
    if (!(await getRuleSet(db, candidate.ruleSetVersion))) throw notFound('rule set', '/candidate/ruleSetVersion');
    return;
  }
  if (candidate.kind === 'extraction-model') {
    if (!(await getModel(db, candidate.modelId))) throw notFound('extraction model', '/candidate/modelId');
    return;
  }
  const workflow = await getWorkflow(db, candidate.workflowId);
  if (!workflow || workflow.archived) throw notFound('workflow', '/candidate/workflowId');
  const version = candidate.kind === 'version' ? candidate.version : candidate.baseVersion;
  const published = await getVersion(db, candidate.workflowId, version);
  if (!published) {
    const field = candidate.kind === 'version' ? '/candidate/version' : '/candidate/baseVersion';
    throw notFound(version === undefined ? 'a published version of this workflow' : `version ${version}`, field);
  }
  if (candidate.kind === 'node-config' && !published.graph.nodes.some((node) => node.id === candidate.nodeId))
    throw badRequest(`node ${candidate.nodeId} is not in v${published.version}`, '/candidate/nodeId');
}

/** Canary runs: a candidate tried on a slice of the ledger, its report kept; "promote" is the only way live. */
export const canaryRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;
  const { taskQueue } = app.trellisConfig.temporal;

  app.post(
    '/',
    {
      schema: {
        tags,
        body: canaryBody,
        description:
          'Replays the slice through the candidate (side effects and human steps reused from the record) and answers ' +
          'with the kept report once every canary run has finished (up to a few minutes for a large slice).',
      },
    },
    async (request, reply) => {
      const canary = request.body as CanaryRequest;
      await checkCandidate(db, canary.candidate);
      const report = await runCanary(await app.control.deps(), canary);
      return reply.code(201).send(report);
    },
  );

  app.get('/', { schema: { tags, querystring: listCanariesQuery } }, async (request) => {
    const { workflowId, limit } = request.query;
    return { reports: await listReports(db, { limit, ...(workflowId ? { workflowId } : {}) }) };
  });

  app.get('/:id', { schema: { tags, params: controlIdParams } }, async (request) => {
    const report = await getReport(db, request.params.id);
    if (!report) throw notFound('canary report', '/params/id');
    return report;
  });

  app.post(
    '/:id/promote',
    {
      schema: { tags, params: controlIdParams, body: byBody, description: 'Makes the report’s candidate live.' },
      config: onReport,
      preValidation: optionalBody,
    },
    async (request) => {
      const client = await app.services.temporal();
      return promote(await app.control.deps(), request.params.id, {
        by: request.body.by ?? 'operator',
        // A node change is published as a new version: its schedules follow, as on publish.
        onPublished: async (workflowId, version) => {
          await syncPublished(db, client, { workflowId, version, taskQueue });
        },
      });
    },
  );

  return Promise.resolve();
};
