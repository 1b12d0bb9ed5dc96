// The suite hooks every template scenario file shares: a harness whose worker has real node services
// (memory, embedder) before the tests, both closed after. The world is filled in by beforeAll.
import { afterAll, beforeAll, inject } from 'vitest';
import type { NodeServices } from '../../nodes/sdk/context.ts';
import type { World } from '../fixtures/templates/world.ts';
import { realServices, startHarness } from './interpreter-harness.ts';

/** Call in a describe block: registers its beforeAll/afterAll and answers the world they fill in. */
export function templateWorld(): World {
  const world = {} as World;
  let services: (NodeServices & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const stack = inject('services');
    const h = await startHarness(stack, {
      nodeServices: async (db) => (services = await realServices(stack, db)),
    });
    if (!services) throw new Error('the harness started no worker, so no node services');
    Object.assign(world, { h, services, stack });
  });
  afterAll(async () => {
    await world.h?.close();
    await services?.close();
  });
  return world;
}
