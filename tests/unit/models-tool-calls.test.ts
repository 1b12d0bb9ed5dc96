import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelCallError } from '../../models/http.ts';
import { OpenAICompatibleChat } from '../../models/openai-compatible.ts';
import { TieredModelRouter } from '../../models/router.ts';
import { freePrices } from '../../models/cost.ts';
import type { ChatMessage, ToolSpec } from '../../models/types.ts';
import { chatCompletion, startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { toolCallReply } from '../support/agent-model-stub.ts';

const lookup: ToolSpec = {
  name: 'lookup_order',
  description: 'Finds an order by its number.',
  parameters: { type: 'object', required: ['order'], properties: { order: { type: 'string' } } },
};

describe('tool calling over the OpenAI protocol', () => {
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
    client = new OpenAICompatibleChat({ baseUrl: stub.baseUrl, model: 'stub-large', maxRetries: 0 });
  });

  it('sends tools and returns the reply’s tool calls with their arguments parsed', async () => {
    stub.enqueue(toolCallReply([{ name: 'lookup_order', arguments: { order: 'A-17' }, id: 'call_x' }]));
    const reply = await client.chat({
      messages: [{ role: 'user', content: 'Where is A-17?' }],
      tools: [lookup],
      timeoutMs: 5_000,
    });
    expect(reply.text).toBe('');
    expect(reply.toolCalls).toEqual([{ id: 'call_x', name: 'lookup_order', arguments: { order: 'A-17' } }]);
    expect(stub.requests[0]?.body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'lookup_order', description: lookup.description, parameters: lookup.parameters },
      },
    ]);
  });

  it('sends assistant tool calls and tool results in the wire format', async () => {
    stub.enqueue(chatCompletion('It shipped on Monday.'));
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Where is A-17?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { order: 'A-17' } }],
      },
      { role: 'tool', toolCallId: 'call_1', content: '{"shipped":"Monday"}' },
    ];
    const reply = await client.chat({ messages, tools: [lookup], timeoutMs: 5_000 });
    expect(reply).toMatchObject({ text: 'It shipped on Monday.', toolCalls: [] });
    expect(stub.requests[0]?.body.messages).toEqual([
      { role: 'user', content: 'Where is A-17?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order":"A-17"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"shipped":"Monday"}' },
    ]);
  });

  it('refuses arguments that are not JSON with an error naming the tool', async () => {
    stub.enqueue(toolCallReply([{ name: 'lookup_order', arguments: '{"order": ' }]));
    const error = await client
      .chat({ messages: [{ role: 'user', content: 'x' }], tools: [lookup], timeoutMs: 5_000 })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as ModelCallError).failure).toBe('malformed');
    expect((error as ModelCallError).message).toMatch(/tool call "lookup_order" has arguments that are not JSON/);
  });

  it('leaves callers without tools unchanged: no tools field, text replies', async () => {
    stub.enqueue(chatCompletion('Hello.'));
    const reply = await client.chat({ messages: [{ role: 'user', content: 'Hi' }], timeoutMs: 5_000 });
    expect(reply).toMatchObject({ text: 'Hello.', toolCalls: [] });
    expect(stub.requests[0]?.body).not.toHaveProperty('tools');
  });

  it('hands the tool calls to the caller’s parser through the router', async () => {
    stub.enqueue(toolCallReply([{ name: 'lookup_order', arguments: { order: 'B-2' } }]));
    const router = new TieredModelRouter({ provider: { client, prices: freePrices } });
    const result = await router.call({
      nodeType: 'agent',
      policy: { maxCostUsd: 1, maxLatencyMs: 5_000, minConfidence: 0 },
      provider: {
        messages: [{ role: 'user', content: 'B-2?' }],
        tools: [lookup],
        parse: (text, reply) => ({ value: { text, calls: reply.toolCalls ?? [] }, confidence: 1 }),
      },
    });
    expect(result.status).toBe('ok');
    expect(result.status === 'ok' && result.value.calls).toEqual([
      { id: 'call_1', name: 'lookup_order', arguments: { order: 'B-2' } },
    ]);
  });
});
