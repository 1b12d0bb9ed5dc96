import { estimatePromptTokens, estimateTokens, type TokenUsage } from './cost.ts';
import { ModelCallError, postJson } from './http.ts';
import { redactor, splitCredentials } from './redact.ts';
import { readToolCalls, wireMessage, wireTools } from './tool-calls.ts';
import type { ChatMessage, ToolCall, ToolSpec } from './types.ts';

/** One OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp server (`baseUrl` ends in `/v1`). */
export interface ChatEndpointConfig {
  baseUrl: string;
  model: string;
  /** From the environment only; sent as a bearer token and never shown. */
  apiKey?: string;
  /** Retries after the first attempt on 408/429/5xx and network errors (default 3). */
  maxRetries?: number;
  fetch?: typeof fetch;
}

export interface ChatCall {
  messages: ChatMessage[];
  /** When given, the reply must be JSON matching it (json_schema mode, else json_object). */
  jsonSchema?: object;
  /** Functions the model may call; the reply's calls come back in ChatReply.toolCalls. */
  tools?: ToolSpec[];
  maxOutputTokens?: number;
  temperature?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ChatUsage extends TokenUsage {
  totalTokens: number;
  /** False when the server sent no usage and the counts are estimated from the text. */
  reported: boolean;
}

export type ResponseFormat = 'json_schema' | 'json_object' | 'text';

export interface ChatReply {
  text: string;
  finishReason: string | null;
  model: string;
  usage: ChatUsage;
  attempts: number;
  responseFormat: ResponseFormat;
  /** What the model asked to call; empty when it answered in text. */
  toolCalls: ToolCall[];
}

export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

interface CompletionJson {
  model?: unknown;
  choices?: { message?: { content?: unknown; refusal?: unknown; tool_calls?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
}

function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function readUsage(json: CompletionJson, messages: ChatMessage[], text: string): ChatUsage {
  const prompt = asCount(json.usage?.prompt_tokens);
  const completion = asCount(json.usage?.completion_tokens);
  if (prompt !== undefined && completion !== undefined) {
    return {
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: asCount(json.usage?.total_tokens) ?? prompt + completion,
      reported: true,
    };
  }
  const promptTokens = estimatePromptTokens(messages);
  const completionTokens = estimateTokens(text);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, reported: false };
}

function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  // Some servers send content parts: [{type: 'text', text}].
  if (Array.isArray(content)) {
    const parts = content.map((part) => (part as { text?: unknown }).text).filter((t) => typeof t === 'string');
    return parts.length > 0 ? parts.join('') : undefined;
  }
  return undefined;
}

// Reasoning models served by Ollama or llama.cpp may put their thinking before the answer.
const THINKING = /^\s*<think>[\s\S]*?<\/think>\s*/;

// OpenAI requires a name for the schema; other servers ignore it.
const SCHEMA_NAME = 'answer';

/** A refusal of the requested `response_format` (older servers, or a schema the server cannot use). */
function refusesFormat(error: unknown): boolean {
  return (
    error instanceof ModelCallError &&
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema|structured/i.test(error.body ?? '')
  );
}

/** Chat completions over HTTP against any server that speaks the OpenAI protocol. */
export class OpenAICompatibleChat {
  readonly model: string;
  /** The base URL without credentials. */
  readonly baseUrl: string;
  readonly redact: (text: string) => string;
  readonly #apiKey: string | undefined;
  readonly #retries: number;
  readonly #fetch: typeof fetch;
  /** Set once the server refused json_schema, so later calls go straight to json_object. */
  #jsonSchemaRefused = false;

  constructor(config: ChatEndpointConfig) {
    const { url, password } = splitCredentials(config.baseUrl);
    this.baseUrl = url;
    this.model = config.model;
    this.#apiKey = config.apiKey || undefined;
    this.#retries = config.maxRetries ?? 3;
    this.#fetch = config.fetch ?? fetch;
    this.redact = redactor([this.#apiKey, password]);
  }

  async chat(call: ChatCall): Promise<ChatReply> {
    const started = Date.now();
    const formats: ResponseFormat[] = !call.jsonSchema
      ? ['text']
      : this.#jsonSchemaRefused
        ? ['json_object']
        : ['json_schema', 'json_object'];
    for (const [index, format] of formats.entries()) {
      const timeoutMs = call.timeoutMs - (Date.now() - started);
      if (timeoutMs <= 0) throw new ModelCallError('timeout', `timed out after ${call.timeoutMs} ms`);
      try {
        return await this.#complete(call, format, timeoutMs);
      } catch (error) {
        if (format !== 'json_schema' || index === formats.length - 1 || !refusesFormat(error)) throw error;
        this.#jsonSchemaRefused = true;
      }
    }
    throw new Error('unreachable: the last response format rethrows');
  }

  async #complete(call: ChatCall, format: ResponseFormat, timeoutMs: number): Promise<ChatReply> {
    const messages =
      format === 'json_object' && call.jsonSchema
        ? [
            ...call.messages,
            {
              role: 'system' as const,
              content: `Answer with one JSON object that matches this JSON Schema:\n${JSON.stringify(call.jsonSchema)}`,
            },
          ]
        : call.messages;
    const body: Record<string, unknown> = {
      model: this.model,
      messages: messages.map(wireMessage),
      max_tokens: call.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
      stream: false,
    };
    if (call.temperature !== undefined) body.temperature = call.temperature;
    if (call.tools?.length) body.tools = wireTools(call.tools);
    if (format === 'json_schema' && call.jsonSchema) {
      const { $id: _id, $schema: _schema, ...schema } = call.jsonSchema as Record<string, unknown>;
      body.response_format = { type: 'json_schema', json_schema: { name: SCHEMA_NAME, schema } };
    } else if (format === 'json_object') {
      body.response_format = { type: 'json_object' };
    }

    const { json, attempts } = await postJson(`${this.baseUrl}/chat/completions`, body, {
      apiKey: this.#apiKey,
      timeoutMs,
      budgetMs: call.timeoutMs,
      retries: this.#retries,
      redact: this.redact,
      fetch: this.#fetch,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    return this.#readReply(json as CompletionJson, messages, attempts, format);
  }

  #readReply(json: CompletionJson, messages: ChatMessage[], attempts: number, format: ResponseFormat): ChatReply {
    const choice = Array.isArray(json.choices) ? json.choices[0] : undefined;
    const toolCalls = readToolCalls(choice?.message?.tool_calls);
    // A turn that only calls tools has no content.
    const raw = contentText(choice?.message?.content) ?? (toolCalls.length > 0 ? '' : undefined);
    const refusal = choice?.message?.refusal;
    const usage = readUsage(json, messages, raw ?? '');
    if (raw === undefined) {
      const why =
        typeof refusal === 'string' ? `the model refused: ${refusal}` : 'reply has no choices[0].message.content';
      const error = new ModelCallError('malformed', this.redact(why.slice(0, 300)));
      error.attempts = attempts;
      // Billed all the same: the ledger must show it.
      if (usage.reported) error.usage = usage;
      throw error;
    }
    return {
      text: this.redact(raw.replace(THINKING, '')),
      finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
      model: typeof json.model === 'string' && json.model ? json.model : this.model,
      usage,
      attempts,
      responseFormat: format,
      toolCalls,
    };
  }
}
