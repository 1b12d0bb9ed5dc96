import type { Queryable } from '../store/db.ts';
import { modelSettingsFromEnv, type EndpointSettings } from './config.ts';
import { OpenAICompatibleChat } from './openai-compatible.ts';
import { TieredModelRouter, type ModelEndpoint } from './router.ts';

export { ModelConfigError, modelSettingsFromEnv } from './config.ts';
export { jsonReplyParser } from './json-reply.ts';
export { NO_PROVIDER, TieredModelRouter } from './router.ts';
export type * from './types.ts';

export interface ModelRouterOptions {
  /** The source of truth holding `model_cache` (the cached tier is off without it). */
  db?: Queryable;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

function modelEndpoint(settings: EndpointSettings | undefined, fetchImpl?: typeof fetch): ModelEndpoint | undefined {
  if (!settings) return undefined;
  const client = new OpenAICompatibleChat({
    baseUrl: settings.baseUrl,
    model: settings.model,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return { client, prices: settings.prices };
}

/** The router the worker injects into nodes, configured from the environment (see config.ts). */
export function createModelRouter({
  db,
  env = process.env,
  fetch: fetchImpl,
}: ModelRouterOptions = {}): TieredModelRouter {
  const settings = modelSettingsFromEnv(env);
  const provider = modelEndpoint(settings.provider, fetchImpl);
  const local = modelEndpoint(settings.local, fetchImpl);
  return new TieredModelRouter({
    ...(db ? { db } : {}),
    ...(provider ? { provider } : {}),
    ...(local ? { local } : {}),
  });
}
