import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Event } from '../../../schemas/event.ts';
import { workflowsListeningTo, type ListeningWorkflow } from '../../../store/workflows.ts';

/**
 * Which published workflows an ingested event starts. For now: every workflow whose trigger
 * names the event's source. The control plane's intent router replaces this one module.
 */
export interface TriggerRouter {
  route(source: string, event: Event): Promise<ListeningWorkflow[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    triggerRouter: TriggerRouter;
  }
}

export const triggerRouterPlugin = fp(
  (app: FastifyInstance, options: { router?: TriggerRouter }, done: () => void) => {
    app.decorate(
      'triggerRouter',
      options.router ?? { route: (source: string) => workflowsListeningTo(app.services.db, source) },
    );
    done();
  },
  { name: 'trellis-trigger-router', dependencies: ['trellis-services'] },
);
