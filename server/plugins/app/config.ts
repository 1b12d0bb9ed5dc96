import fp from 'fastify-plugin';
import type { TrellisConfig } from '../../../services/config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    trellisConfig: TrellisConfig;
  }
}

export const configPlugin = fp<{ config: TrellisConfig }>(
  (app, { config }, done) => {
    app.decorate('trellisConfig', config);
    done();
  },
  { name: 'trellis-config' },
);
