import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { nodeMetrics } from '../../../control/index.ts';
import { getWorkflow } from '../../../store/workflows.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { workflowMetrics } from '../../lib/metrics.ts';
import { safeId } from '../../schemas/common.ts';
import { nodeMetricsQuery } from '../../schemas/control.ts';

const metricsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workflowId: { ...safeId, pattern: '^[A-Za-z0-9._-]+$' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
  },
} as const;

const WEEK_MS = 7 * 86_400_000;

/** GET /api/metrics: false-positive rate, time to correction and cost per action, per workflow and ISO week. */
export const metricsRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  app.get('/', { schema: { tags: ['metrics'], querystring: metricsQuery } }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : new Date();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 12 * WEEK_MS);
    if (from >= to) throw badRequest('from must be before to', '/query/from');
    return workflowMetrics(app.services.db, await app.services.temporal(), {
      from,
      to,
      ...(request.query.workflowId ? { workflowId: request.query.workflowId } : {}),
    });
  });
  // Per node and policy (control plane): automated false-positive rate, time to correction, cost,
  // repeated inputs and the streak of unchanged approvals, over the workflow's past runs.
  app.get('/nodes', { schema: { tags: ['metrics', 'advisor'], querystring: nodeMetricsQuery } }, async (request) => {
    const { workflowId, from, to, clientId, limit } = request.query;
    if (from && to && new Date(from) >= new Date(to)) throw badRequest('from must be before to', '/query/from');
    const workflow = await getWorkflow(app.services.db, workflowId);
    if (!workflow || workflow.archived) throw notFound('workflow', '/query/workflowId');
    const metrics = await nodeMetrics(await app.control.deps(), workflowId, {
      limit,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(clientId ? { clientId } : {}),
    });
    return { metrics };
  });

  return Promise.resolve();
};
