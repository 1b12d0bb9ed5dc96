// Scripted model replies for agent tests, on the OpenAI-compatible stub (tests/setup/openai-stub.ts):
// replies that call tools, and readers for what the agent sent back (tool results).
import type { ModelRouter } from '../../models/types.ts';
import { createModelRouter } from '../../models/index.ts';
import type { Db } from '../../store/db.ts';
import type { OpenAIStub, StubRequest, StubResponse } from '../setup/openai-stub.ts';

/** A reply whose only content is tool calls; arguments are sent as the JSON string the protocol uses. */
export function toolCallReply(
  calls: { name: string; arguments: Record<string, unknown> | string; id?: string }[],
  usage: { promptTokens?: number; completionTokens?: number } = {},
): StubResponse {
  const promptTokens = usage.promptTokens ?? 20;
  const completionTokens = usage.completionTokens ?? 10;
  return {
    json: {
      id: 'chatcmpl-agent',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'stub-agent',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: calls.map((call, index) => ({
              id: call.id ?? `call_${index + 1}`,
              type: 'function',
              function: {
                name: call.name,
                arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
              },
            })),
          },
          finish_reason: 'tool_calls',
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

interface WireMessage {
  role: string;
  content: string | null;
  tool_call_id?: string;
  tool_calls?: unknown[];
}

/** The tool results the agent sent in one chat request, in order. */
export function toolResultsIn(request: StubRequest | undefined): { id: string; content: string }[] {
  const messages = (request?.body.messages ?? []) as unknown as WireMessage[];
  return messages
    .filter((message) => message.role === 'tool')
    .map((message) => ({ id: message.tool_call_id ?? '', content: message.content ?? '' }));
}

/** The chat-completions requests the stub received. */
export const chatRequests = (stub: OpenAIStub) => stub.requests.filter((r) => r.path.endsWith('/chat/completions'));

/** The model router of a worker whose provider is the stub. */
export function stubRouter(db: Db, stub: OpenAIStub): ModelRouter {
  return createModelRouter({
    db,
    env: { TRELLIS_LLM_BASE_URL: stub.baseUrl, TRELLIS_LLM_MODEL: 'stub-agent', TRELLIS_LLM_API_KEY: 'sk-agent-test' },
  });
}
