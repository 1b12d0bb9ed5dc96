import type { Embedder } from '../types.ts';
import { asFloat32, assertDimensions, chunks } from './vectors.ts';

export interface ProviderEmbedderOptions {
  /** As in the OpenAI SDKs, including the version path: `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Needed for models not in KNOWN_DIMENSIONS; when set, also sent as the `dimensions` parameter. */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
}

/** Output sizes of common embedding models, so the usual setups need no extra variable. */
export const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
  'nomic-embed-text': 768,
  'mxbai-embed-large': 1024,
  'all-minilm': 384,
};

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
}

/** Removes the key from anything that may reach a log or an error message. */
function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

function endpointOf(baseUrl: string): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL('embeddings', base);
}

/** The provider tier: any OpenAI-compatible `POST /embeddings` (OpenAI, Azure-style gateways, Ollama, vLLM). */
export function openAiCompatibleEmbedder(options: ProviderEmbedderOptions): Embedder {
  const { model, apiKey, batchSize = 96, timeoutMs = 30_000 } = options;
  const configured = options.dimensions ?? KNOWN_DIMENSIONS[model];
  if (configured === undefined) {
    throw new Error(
      `embedding model ${model} has no known dimension count: set TRELLIS_EMBEDDINGS_DIMENSIONS (or options.dimensions)`,
    );
  }
  const dimensions = configured;
  const url = endpointOf(options.baseUrl);
  // A reduced output size gives different vectors from the same model name, so it is part of the name.
  const recorded =
    options.dimensions && options.dimensions !== KNOWN_DIMENSIONS[model] ? `${model}@${dimensions}d` : model;

  async function embedBatch(texts: string[]): Promise<number[][]> {
    const body: Record<string, unknown> = { model, input: texts, encoding_format: 'float' };
    if (options.dimensions) body.dimensions = options.dimensions;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Error(
        `embeddings endpoint ${url.origin}${url.pathname} unreachable: ${redact(String(error), apiKey)}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const excerpt = redact(text.slice(0, 300), apiKey);
      throw new Error(`embeddings endpoint ${url.origin}${url.pathname} answered ${response.status}: ${excerpt}`);
    }
    const parsed = JSON.parse(text) as EmbeddingsResponse;
    const rows = parsed.data ?? [];
    if (rows.length !== texts.length) {
      throw new Error(`embeddings endpoint returned ${rows.length} embeddings for ${texts.length} texts`);
    }
    // The API may answer out of order; `index` says which input each row belongs to.
    const vectors: number[][] = new Array<number[]>(texts.length);
    rows.forEach((row, position) => {
      const index = row.index ?? position;
      if (!Array.isArray(row.embedding) || !row.embedding.every((value) => typeof value === 'number')) {
        throw new Error(`embeddings endpoint returned a non-numeric embedding at index ${index}`);
      }
      vectors[index] = asFloat32(row.embedding);
    });
    for (let index = 0; index < texts.length; index += 1) {
      if (!vectors[index]) throw new Error(`embeddings endpoint returned no embedding for input ${index}`);
    }
    assertDimensions(vectors, dimensions, recorded);
    return vectors;
  }

  return {
    model: recorded,
    dimensions,
    async embed(texts) {
      const vectors: number[][] = [];
      for (const batch of chunks(texts, batchSize)) vectors.push(...(await embedBatch(batch)));
      return vectors;
    },
  };
}
