// A real HTTP server on a free loopback port that speaks the OpenAI chat-completions and
// embeddings protocol, for tests of anything that calls a model. By default it answers
// deterministically; tests queue the replies they need (errors, malformed bodies, hangs).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: StubBody;
}

/** The request fields tests look at; everything else stays reachable as unknown. */
export interface StubBody {
  model?: string;
  messages?: { role: string; content: string }[];
  input?: string | string[];
  response_format?: { type: string; json_schema?: { name?: string; schema?: object } };
  max_tokens?: number;
  [field: string]: unknown;
}

export interface StubResponse {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, for malformed bodies. */
  text?: string;
  headers?: Record<string, string>;
  /** Waits before answering. */
  delayMs?: number;
  /** Never answers (the client must time out). */
  hang?: boolean;
}

export type StubHandler = (request: StubRequest) => StubResponse | Promise<StubResponse>;

export interface OpenAIStub {
  /** Base URL to configure, ending in `/v1`. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: StubRequest[];
  /** Answers the next requests in order (any path), then falls back to the default handlers. */
  enqueue(...responses: (StubResponse | StubHandler)[]): void;
  /** Replaces the default chat-completions handler. */
  onChat(handler: StubHandler): void;
  /** Forgets queued replies, recorded requests and a custom chat handler. */
  reset(): void;
  close(): Promise<void>;
}

const estimate = (text: string) => Math.ceil(text.length / 4);

/** A chat-completions reply with `content`, usage counted as the stub's tokenizer would. */
export function chatCompletion(
  content: string | null,
  options: { finishReason?: string | null; promptTokens?: number; completionTokens?: number; model?: string } = {},
): StubResponse {
  const promptTokens = options.promptTokens ?? 10;
  const completionTokens = options.completionTokens ?? estimate(content ?? '');
  return {
    json: {
      id: `chatcmpl-${createHash('sha256')
        .update(content ?? '')
        .digest('hex')
        .slice(0, 12)}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: options.model ?? 'stub-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content },
          finish_reason: options.finishReason === undefined ? 'stop' : options.finishReason,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    },
  };
}

/** An error body as OpenAI sends it. */
export function errorReply(status: number, message: string): StubResponse {
  return { status, json: { error: { message, type: status === 429 ? 'rate_limit' : 'server_error' } } };
}

/** Default chat: a short deterministic reply derived from the last user message. */
export function defaultChat(request: StubRequest): StubResponse {
  const messages = request.body.messages ?? [];
  const prompt = messages.map((message) => message.content).join('\n');
  const lastUser = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const firstLine = lastUser.split('\n').find((line) => line.trim()) ?? '';
  const content = `Thank you for your message. About "${firstLine.trim().slice(0, 80)}": I will get back to you with details shortly.`;
  return chatCompletion(content, { promptTokens: estimate(prompt), model: request.body.model ?? 'stub-model' });
}

/** Deterministic unit vectors from the text's hash: the same text always gets the same vector. */
export function stubEmbedding(text: string, dimensions: number): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: dimensions }, (_, index) => (digest[index % digest.length]! / 255) * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => value / norm);
}

function defaultEmbeddings(request: StubRequest, dimensions: number): StubResponse {
  const input = request.body.input;
  const texts = Array.isArray(input) ? input : [input ?? ''];
  return {
    json: {
      object: 'list',
      model: request.body.model ?? 'stub-embedding',
      data: texts.map((text, index) => ({ object: 'embedding', index, embedding: stubEmbedding(text, dimensions) })),
      usage: {
        prompt_tokens: texts.reduce((sum, text) => sum + estimate(text), 0),
        total_tokens: texts.reduce((sum, text) => sum + estimate(text), 0),
      },
    },
  };
}

async function readBody(request: http.IncomingMessage): Promise<StubBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StubBody;
  } catch {
    return {};
  }
}

/** Starts the stub on 127.0.0.1 and a free port. `dimensions` is the length of its embeddings. */
export async function startOpenAIStub(options: { dimensions?: number } = {}): Promise<OpenAIStub> {
  const dimensions = options.dimensions ?? 8;
  const requests: StubRequest[] = [];
  let queue: (StubResponse | StubHandler)[] = [];
  let chatHandler: StubHandler = defaultChat;

  const route = (request: StubRequest): StubResponse | Promise<StubResponse> => {
    const next = queue.shift();
    if (next) return typeof next === 'function' ? next(request) : next;
    if (request.method === 'POST' && request.path === '/v1/chat/completions') return chatHandler(request);
    if (request.method === 'POST' && request.path === '/v1/embeddings') return defaultEmbeddings(request, dimensions);
    if (request.method === 'GET' && request.path === '/v1/models') {
      return { json: { object: 'list', data: [{ id: 'stub-model', object: 'model' }] } };
    }
    return errorReply(404, `no route for ${request.method} ${request.path}`);
  };

  const server = http.createServer((incoming, outgoing) => {
    void (async () => {
      const request: StubRequest = {
        method: incoming.method ?? 'GET',
        path: new URL(incoming.url ?? '/', 'http://stub').pathname,
        headers: incoming.headers,
        body: await readBody(incoming),
      };
      requests.push(request);
      const response = await route(request);
      if (response.hang) return;
      if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
      if (outgoing.destroyed) return;
      const isText = response.text !== undefined;
      outgoing.writeHead(response.status ?? 200, {
        'content-type': isText ? 'text/plain' : 'application/json',
        ...response.headers,
      });
      outgoing.end(isText ? response.text : JSON.stringify(response.json ?? {}));
    })().catch((error: unknown) => {
      outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(`stub failed: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    onChat: (handler) => {
      chatHandler = handler;
    },
    reset: () => {
      queue = [];
      requests.length = 0;
      chatHandler = defaultChat;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests hold their sockets open; close them so the server can stop.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
