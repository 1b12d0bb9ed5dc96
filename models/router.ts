import type { ComputeTier } from '../schemas/model-policy.ts';
import type { Queryable } from '../store/db.ts';
import { costUsd, estimateCostUsd, isFree, type Prices, type TokenUsage } from './cost.ts';
import { ModelCallError } from './http.ts';
import { modelCacheKey, readCachedReply, writeCachedReply } from './model-cache.ts';
import { DEFAULT_MAX_OUTPUT_TOKENS, type ChatReply, type OpenAICompatibleChat } from './openai-compatible.ts';
import type { CallMeta, CallTier, ModelRequest, ModelResult, ModelRouter, ReplyInfo } from './types.ts';

/** A model server and what its tokens cost. */
export interface ModelEndpoint {
  client: OpenAICompatibleChat;
  prices: Prices;
}

export interface RouterOptions {
  /** The source of truth holding `model_cache`; without it the cached tier is off. */
  db?: Queryable;
  /** The large model (TRELLIS_LLM_*). */
  provider?: ModelEndpoint;
  /** A small model on this machine (TRELLIS_LOCAL_LLM_*), tried before the provider. */
  local?: ModelEndpoint;
}

export const NO_PROVIDER = 'no LLM provider configured';

const ALL_TIERS: readonly ComputeTier[] = ['cached', 'local', 'provider'];

interface Judged<T> {
  value: T;
  confidence: number;
}

interface Candidate<T> extends Judged<T> {
  model: string;
}

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

function describeFailure(error: ModelCallError, timeoutMs: number): string {
  const tries = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  switch (error.failure) {
    case 'timeout':
      return `timed out after ${timeoutMs} ms`;
    case 'malformed':
      return `malformed reply: ${error.message}`;
    case 'network':
      return `unreachable${tries}: ${error.message}`;
    case 'http':
      return `failed${tries}: ${error.message}`;
  }
}

/** Resolves with the promise's value, or with `undefined` once `ms` have passed. */
async function within<V>(promise: Promise<V>, ms: number): Promise<{ value: V } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** One `call`: walks the tiers, keeping the notes, tokens, cost and best candidate so far. */
class RoutedCall<T> {
  readonly #request: ModelRequest<T>;
  readonly #options: RouterOptions;
  readonly #allowed: ReadonlySet<ComputeTier>;
  readonly #started = performance.now();
  readonly #notes: string[] = [];
  #tokens = 0;
  #costUsd = 0;
  #best: Candidate<T> | undefined;
  #lastModel: string | undefined;

  constructor(request: ModelRequest<T>, options: RouterOptions) {
    this.#request = request;
    this.#options = options;
    this.#allowed = new Set(request.policy.tiers ?? ALL_TIERS);
  }

  async run(): Promise<ModelResult<T>> {
    const tiers = [
      () => this.#cached(),
      () => this.#localRules(),
      () => this.#model('local', this.#options.local),
      () => this.#model('provider', this.#options.provider),
    ];
    for (const tier of tiers) {
      this.#request.signal?.throwIfAborted();
      const result = await tier();
      if (result) return result;
    }
    const best = this.#best;
    return {
      status: 'human',
      reason: this.#notes.at(-1) ?? 'no tier could answer this request',
      meta: this.#meta('human', best?.model ?? this.#lastModel ?? 'none', best?.confidence ?? 0),
      ...(best ? { best: { value: best.value, confidence: best.confidence } } : {}),
    };
  }

  async #cached(): Promise<ModelResult<T> | undefined> {
    const { cacheKey, provider, nodeType } = this.#request;
    // Only model replies are cached, so there is nothing to find without a model request or a model.
    const endpoints = [this.#options.provider, this.#options.local].filter((e) => e !== undefined);
    if (!this.#allowed.has('cached') || !cacheKey || !provider || endpoints.length === 0) return undefined;
    const { db } = this.#options;
    if (!db) return this.#note('cached: no database configured for the cache');
    const keys = endpoints.map((endpoint) => modelCacheKey(nodeType, cacheKey, endpoint.client.model));
    let hit;
    try {
      hit = await readCachedReply(db, keys);
    } catch (error) {
      return this.#note(`cached: cache unavailable (${(error as Error).message})`);
    }
    if (!hit) return this.#note('cached: miss');
    const judged = this.#judge(provider.parse, hit.text, {
      finishReason: hit.finishReason,
      model: hit.model,
      tier: 'cached',
    });
    if (!judged) return undefined;
    if (judged.confidence >= this.#request.policy.minConfidence) {
      this.#notes.push(`cached: reused the reply of ${hit.model} (saved ${hit.tokens} tokens, ${usd(hit.costUsd)})`);
    }
    return this.#accept('cached', hit.model, judged);
  }

  async #localRules(): Promise<ModelResult<T> | undefined> {
    const { local } = this.#request;
    if (!this.#allowed.has('local') || !local) return undefined;
    const remaining = this.#remainingMs();
    if (remaining <= 0) return this.#note('local: skipped, latency budget spent');
    let answer;
    try {
      answer = await within(local(), remaining);
    } catch (error) {
      return this.#note(`local: failed: ${(error as Error).message}`);
    }
    if (!answer) return this.#note(`local: no answer within ${remaining} ms`);
    if (!answer.value) return this.#note('local: no answer');
    this.#lastModel = answer.value.model;
    return this.#accept('local', answer.value.model, answer.value);
  }

  async #model(tier: 'local' | 'provider', endpoint: ModelEndpoint | undefined): Promise<ModelResult<T> | undefined> {
    const { provider, policy, signal } = this.#request;
    if (!provider) return undefined;
    if (!this.#allowed.has(tier))
      return tier === 'provider' ? this.#note('provider: not allowed by the policy') : undefined;
    if (!endpoint) return tier === 'provider' ? this.#note(NO_PROVIDER) : undefined;
    const { client, prices } = endpoint;
    const maxOutputTokens = provider.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const estimate = estimateCostUsd(provider.messages, provider.jsonSchema, maxOutputTokens, prices);
    if (estimate > policy.maxCostUsd) {
      return this.#note(
        `${tier}: skipped ${client.model}, estimated cost ${usd(estimate)} exceeds maxCostUsd ${usd(policy.maxCostUsd)}`,
      );
    }
    // A local model that hangs must leave the provider time to answer.
    const providerFollows = tier === 'local' && this.#allowed.has('provider') && this.#options.provider !== undefined;
    const timeoutMs = providerFollows ? Math.floor(this.#remainingMs() / 2) : this.#remainingMs();
    if (timeoutMs <= 0)
      return this.#note(`${tier}: skipped ${client.model}, latency budget of ${policy.maxLatencyMs} ms spent`);
    this.#lastModel = client.model;

    let reply: ChatReply;
    try {
      reply = await client.chat({
        messages: provider.messages,
        maxOutputTokens,
        timeoutMs,
        ...(provider.jsonSchema ? { jsonSchema: provider.jsonSchema } : {}),
        ...(provider.tools?.length ? { tools: provider.tools } : {}),
        ...(provider.temperature !== undefined ? { temperature: provider.temperature } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!(error instanceof ModelCallError)) throw error;
      this.#charge(error.usage, prices);
      return this.#note(`${tier}: ${client.model} ${describeFailure(error, timeoutMs)}`);
    }

    const spent = this.#charge(reply.usage, prices);
    if (!reply.usage.reported)
      this.#notes.push(`${tier}: ${client.model} sent no usage; tokens estimated from the text`);
    if (provider.jsonSchema && reply.responseFormat === 'json_object') {
      this.#notes.push(`${tier}: ${client.model} refused json_schema; asked for json_object`);
    }
    if (tier === 'provider' && isFree(prices)) this.#notes.push('provider: no prices configured, cost counted as $0');
    const info: ReplyInfo = {
      finishReason: reply.finishReason,
      model: reply.model,
      tier,
      ...(reply.toolCalls.length > 0 ? { toolCalls: reply.toolCalls } : {}),
    };
    const judged = this.#judge(provider.parse, reply.text, info, client.redact);
    if (!judged) return undefined;
    const result = this.#accept(tier, reply.model, judged);
    if (result) await this.#store(tier, client.model, reply, spent);
    return result;
  }

  /** Runs the caller's parser; a throw is a malformed reply, noted, and the next tier is tried. */
  #judge(
    parse: NonNullable<ModelRequest<T>['provider']>['parse'],
    text: string,
    info: ReplyInfo,
    redact: (text: string) => string = (t) => t,
  ): Judged<T> | undefined {
    try {
      const judged = parse(text, info);
      const confidence = Number.isFinite(judged.confidence) ? Math.min(1, Math.max(0, judged.confidence)) : 0;
      return { value: judged.value, confidence };
    } catch (error) {
      this.#notes.push(
        `${info.tier}: malformed reply from ${info.model}: ${redact((error as Error).message).slice(0, 300)}`,
      );
      return undefined;
    }
  }

  /** The result when confident enough; otherwise notes why, keeps it as the best so far, and degrades. */
  #accept(tier: CallTier, model: string, judged: Judged<T>): ModelResult<T> | undefined {
    const { minConfidence } = this.#request.policy;
    if (judged.confidence >= minConfidence) {
      return { status: 'ok', value: judged.value, meta: this.#meta(tier, model, judged.confidence) };
    }
    this.#notes.push(
      `${tier}: confidence ${judged.confidence.toFixed(2)} from ${model} is below minConfidence ${minConfidence}`,
    );
    if (!this.#best || judged.confidence > this.#best.confidence) this.#best = { ...judged, model };
    return undefined;
  }

  async #store(tier: 'local' | 'provider', configuredModel: string, reply: ChatReply, spent: number): Promise<void> {
    const { db } = this.#options;
    const { cacheKey, nodeType } = this.#request;
    // A reply that calls tools is not text alone: the cache could not give it back whole.
    if (!db || !cacheKey || !this.#allowed.has('cached') || reply.toolCalls.length > 0) return;
    try {
      await writeCachedReply(db, nodeType, {
        key: modelCacheKey(nodeType, cacheKey, configuredModel),
        model: reply.model,
        tier,
        text: reply.text,
        finishReason: reply.finishReason,
        tokens: reply.usage.totalTokens,
        costUsd: spent,
      });
    } catch (error) {
      this.#notes.push(`cached: could not store the reply (${(error as Error).message})`);
    }
  }

  /** Adds what a call consumed, whether or not its reply was usable; returns its cost. */
  #charge(usage: (TokenUsage & { totalTokens?: number }) | undefined, prices: Prices): number {
    if (!usage) return 0;
    const spent = costUsd(usage, prices);
    this.#tokens += usage.totalTokens ?? usage.promptTokens + usage.completionTokens;
    this.#costUsd += spent;
    return spent;
  }

  #note(note: string): undefined {
    this.#notes.push(note);
    return undefined;
  }

  #remainingMs(): number {
    return Math.floor(this.#request.policy.maxLatencyMs - (performance.now() - this.#started));
  }

  #meta(tier: CallTier, model: string, confidence: number): CallMeta {
    return {
      tier,
      model,
      tokens: this.#tokens,
      costUsd: this.#costUsd,
      latencyMs: Math.round(performance.now() - this.#started),
      confidence,
      notes: [...this.#notes],
    };
  }
}

/** cached → local (rules, then a small local model) → provider, within the policy; else a human. */
export class TieredModelRouter implements ModelRouter {
  readonly providerConfigured: boolean;
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.providerConfigured = options.provider !== undefined;
  }

  call<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
    return new RoutedCall(request, this.#options).run();
  }
}
