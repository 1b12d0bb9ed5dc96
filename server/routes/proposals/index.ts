import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { canaryProposal, dismissProposal, listProposals, type Proposal } from '../../../control/index.ts';
import type { Db } from '../../../store/db.ts';
import { conflict, notFound } from '../../lib/http-errors.ts';
import { optionalBody } from '../../lib/optional-body.ts';
import { controlIdParams, listProposalsQuery, proposalCanaryBody } from '../../schemas/control.ts';

const tags = ['advisor'];

async function requireProposal(db: Db, id: string): Promise<Proposal> {
  const found = (await listProposals(db)).find((proposal) => proposal.id === id);
  if (!found) throw notFound('proposal', '/params/id');
  return found;
}

/** The policy advisor's proposals: each goes through a canary, and only its report can be promoted. */
export const proposalRoutes: FastifyPluginAsyncJsonSchemaToTs = (app) => {
  const { db } = app.services;

  app.get('/', { schema: { tags, querystring: listProposalsQuery } }, async (request) => {
    const { workflowId, status } = request.query;
    return {
      proposals: await listProposals(db, { ...(workflowId ? { workflowId } : {}), ...(status ? { status } : {}) }),
    };
  });

  app.post(
    '/:id/canary',
    {
      schema: { tags, params: controlIdParams, body: proposalCanaryBody, description: 'Runs the proposal’s canary.' },
      config: { controlErrors: { 404: '/params/id', 409: '/params/id' } },
      preValidation: optionalBody,
    },
    async (request, reply) => {
      const { slice, createdBy } = request.body;
      const report = await canaryProposal(await app.control.deps(), request.params.id, {
        ...(slice ? { slice } : {}),
        createdBy: createdBy ?? 'operator',
      });
      return reply.code(201).send(report);
    },
  );

  app.post('/:id/dismiss', { schema: { tags, params: controlIdParams } }, async (request) => {
    const proposal = await requireProposal(db, request.params.id);
    if (proposal.status !== 'open' && proposal.status !== 'canaried')
      throw conflict(`proposal is already ${proposal.status}`, '/params/id');
    await dismissProposal(db, proposal.id);
    return { proposal: await requireProposal(db, proposal.id) };
  });

  return Promise.resolve();
};
