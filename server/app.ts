import Fastify, { type FastifyInstance } from 'fastify';
import type { TrellisConfig } from '../services/config.ts';
import { editorPlugin } from './plugins/external/editor.ts';
import { configPlugin } from './plugins/app/config.ts';
import { healthRoutes } from './routes/health/index.ts';

export interface AppOptions {
  config: TrellisConfig;
  logger?: boolean;
}

/** Builds the HTTP server: plugins first, then routes; every route lives under /api. */
export async function buildApp({ config, logger = false }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: logger ? { level: process.env.TRELLIS_LOG_LEVEL ?? 'info' } : false });
  await app.register(configPlugin, { config });
  await app.register(healthRoutes, { prefix: '/api/health' });
  await app.register(editorPlugin);
  return app;
}
