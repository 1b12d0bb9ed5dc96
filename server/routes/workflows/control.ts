import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { getRunPolicy, proposePolicyChanges, setRunPolicy } from '../../../control/index.ts';
import type { Db } from '../../../store/db.ts';
import { getWorkflow } from '../../../store/workflows.ts';
import { badRequest, notFound } from '../../lib/http-errors.ts';
import { syncBackground } from '../../lib/workflow-schedules.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import { idParams } from '../../schemas/common.ts';
import { proposeBody, runPolicyBody } from '../../schemas/control.ts';

async function requireLive(db: Db, id: string): Promise<void> {
  const workflow = await getWorkflow(db, id);
  if (!workflow || workflow.archived) throw notFound('workflow', '/params/id');
}

/** A workflow's part of the control plane: when its runs start (run policy), and what the advisor proposes for it. */
export const workflowControlRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;
  const { taskQueue } = app.trellisConfig.temporal;

  app.get('/:id/run-policy', { schema: { tags: ['workflows'], params: idParams } }, async (request) => {
    await requireLive(db, request.params.id);
    return { workflowId: request.params.id, policy: await getRunPolicy(db, request.params.id) };
  });

  app.put(
    '/:id/run-policy',
    {
      schema: {
        tags: ['workflows'],
        params: idParams,
        body: runPolicyBody,
        description:
          'foreground: runs start at once; background: they wait for the window (UTC), and a Temporal Schedule ' +
          '`background:<id>` starts a batch run each time it opens.',
      },
    },
    async (request) => {
      const workflowId = request.params.id;
      await requireLive(db, workflowId);
      const policy = request.body;
      if (policy.mode === 'background' && !policy.window)
        throw badRequest('a background policy needs a window', '/window');
      await setRunPolicy(db, workflowId, policy, request.tokenId ?? 'operator');
      const backgroundSchedule = await syncBackground(db, await app.services.temporal(), {
        workflowId,
        taskQueue,
        policy,
      });
      return { workflowId, policy, backgroundSchedule };
    },
  );

  app.post(
    '/:id/proposals',
    {
      schema: {
        tags: ['advisor'],
        params: idParams,
        body: proposeBody,
        description: 'The policy advisor reads the workflow’s past runs and proposes changes with their evidence.',
      },
      config: { controlErrors: { 404: '/params/id' } },
      preValidation: optionalBody,
    },
    async (request) => {
      await requireLive(db, request.params.id);
      const { slice, ...options } = request.body;
      const proposals = await proposePolicyChanges(await app.control.deps(), request.params.id, {
        ...options,
        ...(slice ? { slice } : {}),
      });
      return { proposals };
    },
  );

  return Promise.resolve();
};
