import type { RunFn } from '../sdk/define-node.ts';
import type { IngestConfig, IngestInput, IngestOutput } from './definition.ts';
import { ingestRaw } from './ingest.ts';

export const runIngest: RunFn<IngestConfig, IngestInput, IngestOutput> = async (input, config, context) => {
  const { event, duplicate } = await ingestRaw(context.services.db, config.sourceKind, input.raw, {
    receivedAt: context.services.now().toISOString(),
    ...(config.sourceName ? { sourceName: config.sourceName } : {}),
  });
  if (event.status === 'rejected') {
    context.log('ingest stored a rejected event', { eventId: event.id, reason: event.rejection?.reason });
  }
  return {
    output: { event, duplicate },
    meta: { notes: [duplicate ? `duplicate of event ${event.id}` : `stored event ${event.id}`] },
  };
};
