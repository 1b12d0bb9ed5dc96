import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Embedder, MemoryStore } from '../../../memory/types.ts';
import type { NodeRegistry } from '../../../nodes/sdk/registry.ts';
import type { Keyring } from '../../../security/keyring.ts';
import type { Db } from '../../../store/db.ts';

/** What the routes reach: the source of truth, Temporal, the node registry, memory and its embedder. */
export interface AppServices {
  db: Db;
  registry: NodeRegistry;
  /** The installation's keys for what the store keeps sealed (security/keyring.ts), from the data folder or TRELLIS_KEYRING. */
  keyring: Keyring;
  /**
   * Connected on first use, so the server starts (and answers /health) while Temporal is still coming up.
   * While `trellis up` still builds or starts it, refused with a 503 (server/lib/service-starting.ts),
   * unless `evenWhileStarting`: ingest takes the client anyway and defers its runs (run-start-outbox.ts).
   */
  temporal(options?: { evenWhileStarting?: boolean }): Promise<Client>;
  memory(): Promise<MemoryStore>;
  /** The embedder memory uses (the control plane's router reads corrections with it). */
  embedder(): Promise<Embedder>;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

/** Memoises a connection; a failed attempt is forgotten so the next request tries again. */
export function lazy<T>(connect: () => Promise<T>): { get(): Promise<T>; current(): Promise<T> | undefined } {
  let pending: Promise<T> | undefined;
  return {
    get() {
      pending ??= connect().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    current: () => pending,
  };
}

export const servicesPlugin = fp(
  (app: FastifyInstance, { services }: { services: AppServices }, done: () => void) => {
    app.decorate('services', services);
    app.addHook('onClose', async () => services.close());
    done();
  },
  { name: 'trellis-services' },
);
