import type { Client } from '@temporalio/client';
import type { Embedder, MemoryStore } from '../memory/types.ts';
import type { NodeRegistry } from '../nodes/sdk/registry.ts';
import type { Db } from '../store/db.ts';

/** What the control plane's functions use; the API, the CLI and tests build one and pass it in. */
export interface ControlDeps {
  db: Db;
  /** Temporal: starting runs, listing past runs, fetching ledgers. */
  temporal: Client;
  taskQueue: string;
  /** Node types (compiling candidates, seeding agents, knowing side effects). */
  registry: NodeRegistry;
  /** Memory, for corrections (learning) and the router's use of them. */
  memory?: MemoryStore;
  embedder?: Embedder;
  now?: () => Date;
}

export const nowOf = (deps: Pick<ControlDeps, 'now'>): Date => (deps.now ? deps.now() : new Date());

/** A refusal the caller can show as is (the API maps it to 4xx). */
export class ControlError extends Error {
  readonly statusCode: number;
  constructor(message: string, statusCode = 409) {
    super(message);
    this.name = 'ControlError';
    this.statusCode = statusCode;
  }
}
