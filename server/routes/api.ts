import type { FastifyPluginAsync } from 'fastify';
import { refuseNul } from '../lib/nul-guard.ts';
import { requireToken } from '../plugins/app/auth.ts';
import { ingestSourcesPlugin } from '../plugins/app/ingest-sources.ts';
import { agentRoutes } from './agents/index.ts';
import { canaryRoutes } from './canaries/index.ts';
import { clientRoutes } from './clients/index.ts';
import { documentRoutes } from './documents/index.ts';
import { eventRoutes } from './events/index.ts';
import { extractRoutes } from './extract/index.ts';
import { extractionModelRoutes } from './extraction-models/index.ts';
import { formValidatorRoutes } from './form-validators/index.ts';
import { ingestRoutes } from './ingest/index.ts';
import { invoiceRoutes } from './invoices/index.ts';
import { mailAccountRoutes } from './mail-accounts/index.ts';
import { mailIntakeRoutes } from './mail-intake/index.ts';
import { mailOutboxRoutes } from './mail-outbox/index.ts';
import { mcpServerRoutes } from './mcp-servers/index.ts';
import { memoryRoutes } from './memory/index.ts';
import { metricsRoutes } from './metrics/index.ts';
import { nodeTypeRoutes } from './node-types/index.ts';
import { projectRoutes } from './projects/index.ts';
import { proposalRoutes } from './proposals/index.ts';
import { reviewRoutes } from './reviews/index.ts';
import { routingRoutes } from './routing/index.ts';
import { runRoutes } from './runs/index.ts';
import { sessionRoutes } from './session/index.ts';
import { templateRoutes } from './templates/index.ts';
import { tokenRoutes } from './tokens/index.ts';
import { webhookSourceRoutes } from './webhook-sources/index.ts';
import { workflowControlRoutes } from './workflows/control.ts';
import { workflowRoutes } from './workflows/index.ts';

/** Every /api route but health and the docs: a bearer token first (ingest: or a signature), then the resources. */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', requireToken);
  app.addHook('preValidation', refuseNul);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `No route ${request.method} ${request.url}`,
      errors: [{ pointer: '/', message: 'no such route' }],
    }),
  );
  await app.register(ingestSourcesPlugin);
  await app.register(nodeTypeRoutes, { prefix: '/node-types' });
  await app.register(workflowRoutes, { prefix: '/workflows' });
  await app.register(runRoutes, { prefix: '/runs' });
  await app.register(reviewRoutes, { prefix: '/reviews' });
  await app.register(ingestRoutes, { prefix: '/ingest' });
  await app.register(webhookSourceRoutes, { prefix: '/webhook-sources' });
  await app.register(mailAccountRoutes, { prefix: '/mail/accounts' });
  await app.register(documentRoutes, { prefix: '/documents' });
  await app.register(extractRoutes, { prefix: '/extract' });
  await app.register(clientRoutes, { prefix: '/clients' });
  await app.register(projectRoutes, { prefix: '/projects' });
  await app.register(eventRoutes, { prefix: '/events' });
  await app.register(invoiceRoutes, { prefix: '/invoices' });
  await app.register(mailOutboxRoutes, { prefix: '/mail/outbox' });
  await app.register(memoryRoutes, { prefix: '/memory' });
  await app.register(templateRoutes, { prefix: '/templates' });
  await app.register(metricsRoutes, { prefix: '/metrics' });
  await app.register(tokenRoutes, { prefix: '/tokens' });
  await app.register(sessionRoutes, { prefix: '/session' });
  await app.register(formValidatorRoutes, { prefix: '/form-validators' });
  await app.register(mailIntakeRoutes, { prefix: '/mail' });
  await app.register(mcpServerRoutes, { prefix: '/mcp-servers' });
  // The control plane: intent router, agent registry, run policies, canaries, policy advisor.
  await app.register(routingRoutes, { prefix: '/routing' });
  await app.register(agentRoutes, { prefix: '/agents' });
  await app.register(workflowControlRoutes, { prefix: '/workflows' });
  await app.register(canaryRoutes, { prefix: '/canaries' });
  await app.register(proposalRoutes, { prefix: '/proposals' });
  await app.register(extractionModelRoutes, { prefix: '/control/extraction' });
};
