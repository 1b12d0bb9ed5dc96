import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { TrellisConfig } from '../services/config.ts';
import { createAppServices, type ServiceParts } from './lib/app-services.ts';
import { authPlugin } from './plugins/app/auth.ts';
import { configPlugin } from './plugins/app/config.ts';
import { controlPlugin } from './plugins/app/control.ts';
import { errorsPlugin } from './plugins/app/errors.ts';
import { runStartRetryPlugin } from './plugins/app/run-start-retry.ts';
import { servicesPlugin } from './plugins/app/services.ts';
import { triggerRouterPlugin, type TriggerRouter } from './plugins/app/trigger-router.ts';
import { validationPlugin } from './plugins/app/validation.ts';
import { docsPlugin } from './plugins/external/docs.ts';
import { answerFrameworkError, editorPlugin } from './plugins/external/editor.ts';
import { securityPlugin } from './plugins/external/security.ts';
import { apiRoutes } from './routes/api.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { healthRoutes } from './routes/health/index.ts';

export interface AppOptions {
  config: TrellisConfig;
  logger?: boolean;
  /** Clients the caller already holds (tests, benchmarks); the rest are built from `config`. */
  parts?: ServiceParts;
  /** Replaces the source → wired workflows lookup of ingested events (step 3 of server/lib/event-routing.ts). */
  router?: TriggerRouter;
  env?: NodeJS.ProcessEnv;
}

/** JSON bodies up to 1 MB; ingest raises it to 10 MB for email and documents. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP server: plugins first, then routes; every route lives under /api. */
export async function buildApp({
  config,
  logger = false,
  parts,
  router,
  env = process.env,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: env.TRELLIS_LOG_LEVEL ?? 'info' } : false,
    bodyLimit: JSON_BODY_LIMIT,
    // Run ids (`run:<workflow>:<key>`, canaries `canary:<report>:<past run id>`) pass 100 characters once URL-encoded.
    routerOptions: { maxParamLength: 1000 },
    genReqId: () => randomUUID(),
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<JsonSchemaToTsProvider>();
  const services = await createAppServices(config, parts, { env, log: (line) => app.log.warn(line) });
  await app.register(configPlugin, { config });
  await app.register(servicesPlugin, { services });
  await app.register(controlPlugin);
  await app.register(errorsPlugin);
  await app.register(validationPlugin);
  await app.register(securityPlugin);
  await app.register(docsPlugin);
  await app.register(authPlugin, { envToken: env.TRELLIS_API_TOKEN?.trim() || undefined });
  await app.register(triggerRouterPlugin, { router });
  await app.register(runStartRetryPlugin, { intervalMs: Number(env.TRELLIS_RUN_RETRY_MS) || undefined });
  await app.register(healthRoutes, { prefix: '/api/health' });
  await app.register(apiRoutes, { prefix: '/api' });
  await app.register(mcpRoutes, { prefix: '/mcp' });
  await app.register(editorPlugin);
  return app;
}
