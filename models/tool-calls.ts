// Tool calling on the OpenAI wire format: our messages and tools out, the reply's tool_calls in.
import { ModelCallError } from './http.ts';
import type { ChatMessage, ToolCall, ToolSpec } from './types.ts';

interface WireToolCall {
  id?: unknown;
  type?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

/** A message as the chat completions endpoint expects it. */
export function wireMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      // OpenAI wants null, not '', when the turn is only tool calls.
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

export function wireTools(tools: ToolSpec[]): Record<string, unknown>[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

/**
 * The reply's tool calls, arguments parsed. Arguments that are not a JSON object are a malformed
 * reply naming the tool: running a tool on a guess is worse than asking again.
 */
export function readToolCalls(raw: unknown): ToolCall[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ModelCallError('malformed', 'reply tool_calls is not an array');
  return raw.map((entry: WireToolCall, index) => {
    const name = entry.function?.name;
    if (typeof name !== 'string' || !name) {
      throw new ModelCallError('malformed', `tool_calls[${index}] has no function name`);
    }
    const id = typeof entry.id === 'string' && entry.id ? entry.id : `call_${index}`;
    const text = entry.function?.arguments;
    let parsed: unknown = {};
    if (typeof text === 'string' && text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new ModelCallError(
          'malformed',
          `tool call "${name}" has arguments that are not JSON (${(error as Error).message}): ${text.slice(0, 200)}`,
        );
      }
    } else if (text && typeof text === 'object') {
      parsed = text; // Some servers (Ollama) send the object itself.
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ModelCallError('malformed', `tool call "${name}" arguments are not a JSON object`);
    }
    return { id, name, arguments: parsed as Record<string, unknown> };
  });
}
