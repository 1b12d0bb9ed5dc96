import type { Prices } from './cost.ts';

/** One OpenAI-compatible endpoint as the environment describes it. */
export interface EndpointSettings {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  prices: Prices;
}

export interface ModelSettings {
  provider: EndpointSettings | undefined;
  local: EndpointSettings | undefined;
}

/** A model setting that cannot work; names the variable, never its value (it may be a key). */
export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function url(env: Env, name: string): string | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ModelConfigError(`${name} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ModelConfigError(`${name} must be an http(s) URL, e.g. http://127.0.0.1:11434/v1`);
  }
  return raw;
}

function nonNegative(env: Env, name: string): number {
  const raw = value(env, name);
  if (raw === undefined) return 0;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new ModelConfigError(`${name} must be a number ≥ 0 (USD per million tokens)`);
  return parsed;
}

function endpoint(env: Env, prefix: string, withPrices: boolean): EndpointSettings | undefined {
  const baseUrl = url(env, `${prefix}_BASE_URL`);
  if (baseUrl === undefined) return undefined;
  const model = value(env, `${prefix}_MODEL`);
  if (!model)
    throw new ModelConfigError(`${prefix}_BASE_URL is set but ${prefix}_MODEL is not: name the model to call`);
  return {
    baseUrl,
    model,
    apiKey: value(env, `${prefix}_API_KEY`),
    prices: withPrices
      ? {
          inputPerMTok: nonNegative(env, `${prefix}_PRICE_INPUT_PER_MTOK`),
          outputPerMTok: nonNegative(env, `${prefix}_PRICE_OUTPUT_PER_MTOK`),
        }
      : { inputPerMTok: 0, outputPerMTok: 0 },
  };
}

/**
 * Reads the model settings. Provider: TRELLIS_LLM_BASE_URL, _MODEL, _API_KEY,
 * _PRICE_INPUT_PER_MTOK, _PRICE_OUTPUT_PER_MTOK. Local model: TRELLIS_LOCAL_LLM_BASE_URL, _MODEL,
 * _API_KEY (free). Embeddings are configured by memory/ (TRELLIS_EMBEDDINGS_*).
 */
export function modelSettingsFromEnv(env: Env): ModelSettings {
  return {
    provider: endpoint(env, 'TRELLIS_LLM', true),
    local: endpoint(env, 'TRELLIS_LOCAL_LLM', false),
  };
}
