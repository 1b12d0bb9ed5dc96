import type { FastifyInstance } from 'fastify';
import { ensureSeedAgents, syncCorrections } from '../../control/index.ts';

/** How often the server stores corrections of decisions made outside its decision route. */
export const CORRECTION_SWEEP_MS = 10 * 60_000;

/**
 * Stores every decided edit or rejection not kept as a correction yet: decisions sent to a run
 * directly (a signal, not the API), or made while memory was unreachable. Undefined without memory.
 */
export async function sweepCorrections(app: FastifyInstance): Promise<number | undefined> {
  const learned = await app.control.memory();
  if (!learned) return undefined;
  const stored = await syncCorrections({ db: app.services.db, memory: learned.memory });
  return stored.length;
}

/**
 * What the control plane needs when the server starts: the seed's agents in the registry (an
 * operator's edits are kept), and the corrections sweep once now and then every ten minutes.
 * Returns a stop function for the sweep.
 */
export async function startControlPlane(
  app: FastifyInstance,
  log: (line: string) => void = () => {},
): Promise<{ agentsAdded: number; correctionsStored?: number; stop(): void }> {
  const agentsAdded = await ensureSeedAgents(app.services.db, app.services.registry);
  const sweep = async () => {
    try {
      return await sweepCorrections(app);
    } catch (error) {
      log(`correction sweep failed: ${(error as Error).message}`);
      return undefined;
    }
  };
  const correctionsStored = await sweep();
  const timer = setInterval(() => void sweep(), CORRECTION_SWEEP_MS);
  timer.unref();
  return {
    agentsAdded,
    ...(correctionsStored !== undefined ? { correctionsStored } : {}),
    stop: () => clearInterval(timer),
  };
}
