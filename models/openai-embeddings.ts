import type { Embedder } from '../memory/types.ts';
import { ModelCallError, postJson } from './http.ts';
import { redactor, splitCredentials } from './redact.ts';

export interface EmbeddingsEndpointConfig {
  baseUrl: string;
  model: string;
  /** Length of every vector the model returns; checked on each reply. */
  dimensions: number;
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
  fetch?: typeof fetch;
}

interface EmbeddingsJson {
  data?: { index?: unknown; embedding?: unknown }[];
}

/** The provider tier of embeddings: `POST /embeddings` on any OpenAI-compatible server. */
export class OpenAICompatibleEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #redact: (text: string) => string;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #fetch: typeof fetch;

  constructor(config: EmbeddingsEndpointConfig) {
    const { url, password } = splitCredentials(config.baseUrl);
    this.baseUrl = url;
    this.model = config.model;
    this.dimensions = config.dimensions;
    this.#apiKey = config.apiKey || undefined;
    this.#redact = redactor([this.#apiKey, password]);
    this.#batchSize = config.batchSize ?? 64;
    this.#timeoutMs = config.timeoutMs ?? 30_000;
    this.#retries = config.maxRetries ?? 3;
    this.#fetch = config.fetch ?? fetch;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      vectors.push(...(await this.#embedBatch(texts.slice(start, start + this.#batchSize))));
    }
    return vectors;
  }

  async #embedBatch(texts: string[]): Promise<number[][]> {
    const { json } = await postJson(
      `${this.baseUrl}/embeddings`,
      { model: this.model, input: texts },
      {
        apiKey: this.#apiKey,
        timeoutMs: this.#timeoutMs,
        retries: this.#retries,
        redact: this.#redact,
        fetch: this.#fetch,
      },
    );
    const data = (json as EmbeddingsJson).data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new ModelCallError('malformed', `expected ${texts.length} embeddings, got ${data?.length ?? 'none'}`);
    }
    // The protocol carries an index per vector; order by it rather than trusting the array order.
    const ordered = [...data].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
    return ordered.map(({ embedding }, position) => {
      if (!Array.isArray(embedding) || embedding.length !== this.dimensions || !embedding.every(Number.isFinite)) {
        throw new ModelCallError(
          'malformed',
          `embedding ${position} is not ${this.dimensions} finite numbers (model ${this.model})`,
        );
      }
      return embedding as number[];
    });
  }
}
