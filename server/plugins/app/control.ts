import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ControlDeps } from '../../../control/index.ts';
import type { Embedder, MemoryStore } from '../../../memory/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    control: ControlPlane;
  }
}

/** How routes reach the control plane (control/index.ts): the dependencies its functions take. */
export interface ControlPlane {
  /** Source of truth, Temporal, task queue and registry; with memory (corrections) when asked and reachable. */
  deps(options?: { memory?: boolean; evenWhileStarting?: boolean }): Promise<ControlDeps>;
  /** Memory and its embedder, or undefined when memory cannot be reached (the caller goes on without). */
  memory(): Promise<{ memory: MemoryStore; embedder: Embedder } | undefined>;
}

/** After memory failed to connect, it is tried again this much later (ingest must not wait on it each time). */
const RETRY_AFTER_MS = 30_000;

export const controlPlugin = fp(
  (app: FastifyInstance, _options: unknown, done: () => void) => {
    const { services } = app;
    let failedAt = -Infinity;

    // Memory is optional for the control plane: routing without corrections and deciding without
    // storing them still work (the correction sweep catches up). A failure is said once and tried
    // again after a while.
    async function memory(): Promise<{ memory: MemoryStore; embedder: Embedder } | undefined> {
      if (Date.now() - failedAt < RETRY_AFTER_MS) return undefined;
      try {
        const [store, embedder] = await Promise.all([services.memory(), services.embedder()]);
        return { memory: store, embedder };
      } catch (error) {
        failedAt = Date.now();
        app.log.warn({ err: error }, 'memory is not reachable: routing and corrections go on without it for now');
        return undefined;
      }
    }

    app.decorate('control', {
      async deps(options: { memory?: boolean; evenWhileStarting?: boolean } = {}): Promise<ControlDeps> {
        const [temporal, learned] = await Promise.all([
          services.temporal({ evenWhileStarting: options.evenWhileStarting === true }),
          options.memory ? memory() : Promise.resolve(undefined),
        ]);
        return {
          db: services.db,
          temporal,
          taskQueue: app.trellisConfig.temporal.taskQueue,
          registry: services.registry,
          ...(learned ?? {}),
        };
      },
      memory,
    });
    done();
  },
  { name: 'trellis-control', dependencies: ['trellis-services', 'trellis-config'] },
);
