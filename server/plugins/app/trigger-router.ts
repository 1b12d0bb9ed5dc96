import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Event } from '../../../schemas/event.ts';
import { workflowsListeningTo, type ListeningWorkflow } from '../../../store/workflows.ts';

/**
 * The published workflows wired to a source: every workflow whose trigger names it. Ingest starts
 * them for an event no live routing rule takes (server/lib/event-routing.ts); the intent router
 * decides the rest.
 */
export interface TriggerRouter {
  route(source: string, event: Event): Promise<ListeningWorkflow[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    triggerRouter: TriggerRouter;
  }
}

/**
 * Source → listening workflows, cached for a second: every delivery needs it, and reading the
 * latest plans per delivery would cost more than storing the event. A publish is seen within
 * the second (on every server process alike).
 */
export function sourceRouter(lookup: (source: string) => Promise<ListeningWorkflow[]>, ttlMs = 1_000): TriggerRouter {
  const cache = new Map<string, { at: number; targets: Promise<ListeningWorkflow[]> }>();
  return {
    route(source) {
      const hit = cache.get(source);
      if (hit && Date.now() - hit.at < ttlMs) return hit.targets;
      const targets = lookup(source);
      if (cache.size > 1_000) cache.clear();
      cache.set(source, { at: Date.now(), targets });
      targets.catch(() => cache.delete(source));
      return targets;
    },
  };
}

export const triggerRouterPlugin = fp(
  (app: FastifyInstance, options: { router?: TriggerRouter }, done: () => void) => {
    app.decorate(
      'triggerRouter',
      options.router ?? sourceRouter((source) => workflowsListeningTo(app.services.db, source)),
    );
    done();
  },
  { name: 'trellis-trigger-router', dependencies: ['trellis-services'] },
);
