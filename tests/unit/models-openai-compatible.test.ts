import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../services/ports.ts';
import { ModelCallError } from '../../models/http.ts';
import { OpenAICompatibleChat } from '../../models/openai-compatible.ts';
import { chatCompletion, errorReply, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';

const API_KEY = 'sk-test-5ecret-adapter-key-0123456789';
const messages = [{ role: 'user' as const, content: 'Say hello to Ada.' }];
const answerSchema = {
  $id: 'https://example.test/answer.json',
  type: 'object',
  required: ['greeting'],
  properties: { greeting: { type: 'string' } },
} as const;

async function failure(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

describe('OpenAICompatibleChat', () => {
  let stub: OpenAIStub;
  let client: OpenAICompatibleChat;

  beforeAll(async () => {
    stub = await startOpenAIStub();
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
    client = new OpenAICompatibleChat({ baseUrl: stub.baseUrl, model: 'stub-large', apiKey: API_KEY });
  });

  it('sends the model, messages, bearer key and token limit, and reads text, finish reason and usage', async () => {
    stub.enqueue(chatCompletion('Hello, Ada!', { promptTokens: 12, completionTokens: 4, model: 'stub-large-2025' }));
    const reply = await client.chat({ messages, maxOutputTokens: 64, timeoutMs: 5_000 });
    expect(reply).toMatchObject({
      text: 'Hello, Ada!',
      finishReason: 'stop',
      model: 'stub-large-2025',
      usage: { promptTokens: 12, completionTokens: 4, totalTokens: 16, reported: true },
      attempts: 1,
      responseFormat: 'text',
    });
    const [request] = stub.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({ model: 'stub-large', messages, max_tokens: 64, stream: false });
    expect(request?.body.response_format).toBeUndefined();
  });

  it('asks for json_schema output with the schema when one is given', async () => {
    stub.enqueue(chatCompletion('{"greeting":"Hello"}'));
    const reply = await client.chat({ messages, jsonSchema: answerSchema, timeoutMs: 5_000 });
    expect(reply.responseFormat).toBe('json_schema');
    const format = stub.requests[0]?.body.response_format;
    expect(format?.type).toBe('json_schema');
    // $id and $schema are dropped: providers reject or ignore them.
    expect(format?.json_schema?.schema).toEqual({
      type: 'object',
      required: ['greeting'],
      properties: { greeting: { type: 'string' } },
    });
  });

  it('falls back to json_object, with the schema in a system message, when the server refuses json_schema', async () => {
    stub.onChat((request) =>
      request.body.response_format?.type === 'json_schema'
        ? errorReply(400, "response_format type 'json_schema' is not supported by this server")
        : chatCompletion('{"greeting":"Hi"}'),
    );
    const first = await client.chat({ messages, jsonSchema: answerSchema, timeoutMs: 5_000 });
    expect(first.responseFormat).toBe('json_object');
    expect(stub.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
    const fallback = stub.requests[1]?.body.messages?.at(-1);
    expect(fallback?.role).toBe('system');
    expect(fallback?.content).toContain('"greeting"');
    // The refusal is remembered: the next call goes straight to json_object.
    await client.chat({ messages, jsonSchema: answerSchema, timeoutMs: 5_000 });
    expect(stub.requests.map((r) => r.body.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
  });

  it('retries a 500 and a 429 with backoff, then succeeds', async () => {
    stub.enqueue(errorReply(500, 'upstream overloaded'), errorReply(429, 'slow down'), chatCompletion('Hello'));
    const started = Date.now();
    const reply = await client.chat({ messages, timeoutMs: 10_000 });
    expect(reply.text).toBe('Hello');
    expect(reply.attempts).toBe(3);
    expect(stub.requests).toHaveLength(3);
    // Two backoffs of at least 200 ms and 400 ms (randomised upwards), less timer slack.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('does not retry a 400 and names the status', async () => {
    stub.enqueue(errorReply(400, 'bad model name'));
    const error = await failure(client.chat({ messages, timeoutMs: 5_000 }));
    expect(error.failure).toBe('http');
    expect(error.status).toBe(400);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('bad model name');
  });

  it('times out within the budget when the server never answers', async () => {
    stub.enqueue({ hang: true }, { hang: true });
    const started = performance.now();
    const error = await failure(client.chat({ messages, timeoutMs: 400 }));
    const elapsed = performance.now() - started;
    expect(error.failure).toBe('timeout');
    expect(error.message).toBe('timed out after 400 ms');
    // libuv schedules timers from its cached loop time, so under load they may fire a little early.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(400 + 400);
  });

  it('retries network errors until the budget ends when nothing listens', async () => {
    const closed = new OpenAICompatibleChat({ baseUrl: `http://127.0.0.1:${await freePort()}/v1`, model: 'm' });
    const started = performance.now();
    const error = await failure(closed.chat({ messages, timeoutMs: 1_500 }));
    expect(['network', 'timeout']).toContain(error.failure);
    expect(error.attempts).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(1_500 + 400);
  });

  it('reports a body that is not JSON as malformed without retrying', async () => {
    stub.enqueue({ text: '<html>gateway</html>' });
    const error = await failure(client.chat({ messages, timeoutMs: 5_000 }));
    expect(error.failure).toBe('malformed');
    expect(error.attempts).toBe(1);
  });

  it('keeps the billed usage of a reply without content', async () => {
    stub.enqueue({
      json: {
        choices: [{ message: { role: 'assistant', refusal: 'I cannot help' } }],
        usage: { prompt_tokens: 30, completion_tokens: 5 },
      },
    });
    const error = await failure(client.chat({ messages, timeoutMs: 5_000 }));
    expect(error.failure).toBe('malformed');
    expect(error.message).toContain('refused');
    expect(error.usage).toEqual({ promptTokens: 30, completionTokens: 5, totalTokens: 35, reported: true });
  });

  it('estimates usage when the server sends none and strips a reasoning preamble', async () => {
    stub.enqueue({
      json: { choices: [{ message: { content: '<think>plan it</think>\nHello there' }, finish_reason: 'stop' }] },
    });
    const reply = await client.chat({ messages, timeoutMs: 5_000 });
    expect(reply.text).toBe('Hello there');
    expect(reply.usage.reported).toBe(false);
    expect(reply.usage.promptTokens).toBeGreaterThan(0);
    // The thinking was generated, so it counts.
    expect(reply.usage.completionTokens).toBe(Math.ceil('<think>plan it</think>\nHello there'.length / 4));
  });

  it('never shows the API key, even when the server echoes it back', async () => {
    const echo = (request: { headers: Record<string, unknown> }) => `auth was ${String(request.headers.authorization)}`;
    stub.enqueue((request) => errorReply(401, echo(request)));
    const error = await failure(client.chat({ messages, timeoutMs: 5_000 }));
    stub.enqueue((request) => chatCompletion(echo(request)));
    const reply = await client.chat({ messages, timeoutMs: 5_000 });

    expect(error.message).toContain('auth was Bearer [redacted]');
    expect(reply.text).toBe('auth was Bearer [redacted]');
    const everything = [error.message, error.body, error.stack, JSON.stringify(error), JSON.stringify(reply)];
    everything.push(
      inspect(error, { depth: 5 }),
      inspect(client, { depth: 5, showHidden: true }),
      JSON.stringify(client),
    );
    for (const text of everything) expect(text ?? '').not.toContain(API_KEY);
  });

  it('drops credentials from the base URL it shows', () => {
    const withUser = new OpenAICompatibleChat({ baseUrl: 'http://user:pa55word@127.0.0.1:1/v1/', model: 'm' });
    expect(withUser.baseUrl).toBe('http://127.0.0.1:1/v1');
    expect(withUser.redact('pa55word')).toBe('[redacted]');
  });
});
