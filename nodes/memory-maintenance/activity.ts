import type { RunFn } from '../sdk/define-node.ts';
import type { MemoryMaintenanceConfig, MemoryMaintenanceInput, MemoryMaintenanceOutput } from './definition.ts';

/**
 * Prune first (no point re-embedding what is about to go), then re-embed in batches with a
 * heartbeat each, until nothing is stale or maxBatches is reached. Both steps are idempotent,
 * so a retry after a crash simply continues.
 */
export const runMemoryMaintenance: RunFn<
  MemoryMaintenanceConfig,
  MemoryMaintenanceInput,
  MemoryMaintenanceOutput
> = async (_input, config, context) => {
  const { memory, embedder } = context.services;
  const pruned = await memory.prune(config.retention, context.services.now().toISOString());
  const batchSize = config.batchSize ?? 100;
  let reembedded = 0;
  let remainingStale = false;
  for (let batch = 0; ; batch++) {
    const stale = await memory.staleEmbeddings(batchSize);
    if (stale.length === 0) break;
    if (batch >= (config.maxBatches ?? 20)) {
      remainingStale = true;
      break;
    }
    const done = await memory.reembed(stale);
    reembedded += done;
    context.heartbeat({ reembedded });
    // A batch that changed nothing would come back the same forever.
    if (done === 0) {
      remainingStale = true;
      break;
    }
  }
  const notes = [`pruned ${pruned}`, `re-embedded ${reembedded} with ${embedder.model}`];
  if (remainingStale) notes.push('stale records remain for the next run');
  return { output: { pruned, reembedded, remainingStale, embeddingModel: embedder.model }, meta: { notes } };
};
