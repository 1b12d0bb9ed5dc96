import { Command } from 'commander';
import { loadConfig } from '../../services/config.ts';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import { loadPlugins, pluginSourcesFromEnv } from '../../nodes/plugins.ts';
import { ensureSeedAgents } from '../../control/agents/registry.ts';
import { createNodeServices } from '../../temporal/services.ts';
import { createWorker } from '../../temporal/worker.ts';
import { createPayloadCodec } from '../../temporal/codec/index.ts';
import { say } from './log.ts';

/** Runs a Temporal worker on Trellis's task queue; more of them on other machines scale out. */
export function workerCommand(): Command {
  return new Command('worker').description('run a Temporal worker for Trellis workflows').action(async () => {
    const config = loadConfig();
    if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set (trellis up sets it for its worker)');
    const registry = createBuiltinRegistry();
    const plugins = await loadPlugins(registry, pluginSourcesFromEnv());
    for (const refused of plugins.refused) say(`plugin refused: ${refused.source}: ${refused.reason}`);
    const services = await createNodeServices(config);
    await ensureSeedAgents(services.db, registry);
    const { worker, close } = await createWorker({
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      registry,
      services,
      payloadCodec: createPayloadCodec({ db: services.db, dataDir: config.dataDir, onErased: 'throw' })?.codec,
    });
    say(`worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
    // The SDK shuts down gracefully on SIGINT/SIGTERM: running activities finish first.
    await worker.run();
    await close();
    await services.close();
  });
}
