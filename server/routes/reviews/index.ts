import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { resolveTriage } from '../../../control/index.ts';
import { assertValid } from '../../../schemas/ajv.ts';
import type { reviewDecisionInputSchema } from '../../../schemas/review-task.ts';
import { getReviewTask, listReviewTasks } from '../../../store/review-tasks.ts';
import { WorkflowNotFoundError } from '@temporalio/client';
import { decide, DecisionRefusedError } from '../../../temporal/runs.ts';
import { badRequest, conflict, notFound } from '../../lib/http-errors.ts';
import { assertRoutable, learnFromDecision, triageChoice } from '../../lib/review-control.ts';
import { untilWaiting } from '../../lib/reviews.ts';
import { REVIEW_DECISION_REF } from '../../schemas/common.ts';
import { listReviewsQuery, taskParams } from '../../schemas/reviews.ts';

const tags = ['reviews'];

/**
 * The review queue: tasks with their context; decisions go to the waiting run, which records them.
 * A triage task (the intent router asking which workflow) is resolved by the router, which starts
 * the chosen run. Every edit or rejection is then kept as a correction in memory (learning).
 */
export const reviewRoutes: FastifyPluginAsyncJsonSchemaToTs<{
  ValidatorSchemaOptions: { references: [typeof reviewDecisionInputSchema] };
}> = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listReviewsQuery } }, async (request) => {
    const { state, kind, workflowId, limit, offset } = request.query;
    return {
      tasks: await listReviewTasks(db, {
        limit,
        offset,
        ...(state ? { state } : {}),
        ...(kind ? { kind } : {}),
        ...(workflowId ? { workflowId } : {}),
      }),
    };
  });

  app.get('/:taskId', { schema: { tags, params: taskParams } }, async (request) => {
    const task = await getReviewTask(db, request.params.taskId);
    if (!task) throw notFound('review task', '/params/taskId');
    return { task };
  });

  app.post(
    '/:taskId/decision',
    {
      schema: { tags, params: taskParams, body: REVIEW_DECISION_REF },
      config: { controlErrors: { 400: '/value/workflowId', 404: '/params/taskId', 409: '/params/taskId' } },
      // The contract requires a reviewer; the API lets it default to the operator.
      preValidation: (request, _reply, done) => {
        const body = request.body as Record<string, unknown> | undefined;
        if (body && typeof body === 'object' && !Array.isArray(body) && body.reviewer === undefined)
          body.reviewer = 'operator';
        done();
      },
    },
    async (request) => {
      const { taskId } = request.params;
      const { decision, reviewer, value, note, digest } = request.body;
      const task = await getReviewTask(db, taskId);
      if (!task) throw notFound('review task', '/params/taskId');
      if (task.state !== 'pending') throw conflict(`review task is already ${task.state}`, '/params/taskId');
      assertRoutable(task, decision);
      if (decision === 'approved' && task.proposed === undefined)
        throw badRequest('there is no proposed value to approve: edit it instead', '/decision');
      if (decision === 'edited' && task.valueSchema) assertValid(task.valueSchema, value, 'edited value', '/value');
      if (task.kind === 'triage') {
        const choice = await triageChoice(db, task, { decision, reviewer, value, ...(note ? { note } : {}) });
        const triage = await resolveTriage(await app.control.deps(), taskId, choice);
        return { task: await getReviewTask(db, taskId), triage };
      }
      const client = await app.services.temporal();
      await untilWaiting(client, task.workflowId, taskId);
      try {
        await decide(client, task.workflowId, {
          taskId,
          decision,
          reviewer,
          ...(value !== undefined ? { value } : {}),
          ...(note ? { note } : {}),
          ...(digest ? { digest } : {}),
        });
      } catch (error) {
        if (error instanceof DecisionRefusedError) throw conflict(error.message, '/params/taskId');
        if (error instanceof WorkflowNotFoundError)
          throw conflict('the run is no longer waiting for this task', '/params/taskId');
        throw error;
      }
      const correction = await learnFromDecision(app, taskId);
      return { task: await getReviewTask(db, taskId), ...(correction ? { correction } : {}) };
    },
  );

  return Promise.resolve();
};
