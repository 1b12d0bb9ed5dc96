import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SourceCache } from '../../lib/ingest.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook sources as ingest sees them, cached for a few seconds; creating one forgets its entry. */
    ingestSources: SourceCache;
  }
}

export const ingestSourcesPlugin = fp(
  (app: FastifyInstance, _options: unknown, done: () => void) => {
    app.decorate('ingestSources', new SourceCache(app.services.keyring));
    done();
  },
  { name: 'trellis-ingest-sources' },
);
