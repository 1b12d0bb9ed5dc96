import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { retrainIntentModel, runCanary } from '../../../control/index.ts';
import { resolveModels } from '../../../nodes/extract/intent-model.ts';
import { loadModels } from '../../../extraction/models/load.ts';
import { getModel, listModels, rejectModel } from '../../../store/extraction-models.ts';
import { conflict, notFound } from '../../lib/http-errors.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import { byBody, listModelsQuery, modelParams, retrainBody } from '../../schemas/control.ts';

const tags = ['extraction'];

/**
 * The intent model retrained from corrections: a retrain is a proposal, canaried against past
 * runs' extract steps; `POST /api/canaries/{id}/promote` on its report is the only way it goes live.
 */
export const extractionModelRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.post(
    '/retrain',
    {
      schema: {
        tags,
        body: retrainBody,
        description:
          'Fine-tunes the shipped intent model with every stored correction of intent and keeps it as a proposal; ' +
          'then (unless canary is false) re-reads past runs’ extract steps with it and with the live model, and ' +
          'answers with the model and its canary report. Promote the report to make it live.',
      },
      config: { controlErrors: { 409: '/' } },
      preValidation: optionalBody,
    },
    async (request, reply) => {
      const { by = 'operator', epochs, l2, l2New, canary = true, workflowId, slice = {} } = request.body;
      const model = await retrainIntentModel(
        { db },
        {
          by,
          ...(epochs !== undefined ? { epochs } : {}),
          ...(l2 !== undefined ? { l2 } : {}),
          ...(l2New !== undefined ? { l2New } : {}),
        },
      );
      const { model: _weights, ...proposal } = model;
      // The same corrections were learned before: that model is the answer, canaried or decided already.
      if (!canary || (model.status !== 'proposed' && model.status !== 'canary'))
        return reply.code(model.status === 'proposed' ? 201 : 200).send({ model: proposal });
      const report = await runCanary(await app.control.deps(), {
        candidate: { kind: 'extraction-model', modelId: model.id, ...(workflowId ? { workflowId } : {}) },
        slice,
        createdBy: by,
      });
      const { model: _stored, ...canaried } = (await getModel(db, model.id)) ?? model;
      return reply.code(201).send({ model: canaried, report });
    },
  );

  app.get('/models', { schema: { tags, querystring: listModelsQuery } }, async (request) => {
    const live = await resolveModels(db);
    return {
      shipped: loadModels().intent?.version ?? null,
      live: live.intentVersion,
      models: await listModels(db, { limit: request.query.limit }),
    };
  });

  app.get('/models/:id', { schema: { tags, params: modelParams } }, async (request) => {
    const model = await getModel(db, request.params.id);
    if (!model) throw notFound('extraction model', '/params/id');
    return model;
  });

  app.post(
    '/models/:id/reject',
    {
      schema: { tags, params: modelParams, body: byBody, description: 'Turns down a proposed or canaried model.' },
      preValidation: optionalBody,
    },
    async (request) => {
      const model = await getModel(db, request.params.id);
      if (!model) throw notFound('extraction model', '/params/id');
      if (!(await rejectModel(db, model.id, request.body.by ?? 'operator')))
        throw conflict(`the model is ${model.status}`, '/params/id');
      const { model: _weights, ...rejected } = (await getModel(db, model.id))!;
      return { model: rejected };
    },
  );

  return Promise.resolve();
};
