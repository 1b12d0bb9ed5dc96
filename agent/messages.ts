// The conversation the model sees: the goal, then each turn's tool calls and their results. Pure.
import type { ChatMessage } from '../models/types.ts';
import type { DigestedCall } from './types.ts';

/** The most of one tool result the model is shown, and the history keeps (a run's history must stay small). */
export const MAX_RESULT_CHARS = 8_000;

const SYSTEM = [
  'You work towards the goal below by calling the tools you are given, then answer in plain text.',
  'Call a tool only when you need what it returns or what it does. Some calls wait for a person to approve them;',
  'a refused or rejected call comes back with the reason: change course rather than repeating it.',
  'When you have what you need, answer without calling a tool.',
].join(' ');

export function openingMessages(goal: string, instructions: string | undefined): ChatMessage[] {
  const system = instructions?.trim() ? `${SYSTEM}\n\n${instructions.trim()}` : SYSTEM;
  return [
    { role: 'system', content: system },
    { role: 'user', content: goal },
  ];
}

/** The assistant turn as the model gave it: its text and the calls it asked for. */
export function assistantTurn(text: string, calls: DigestedCall[]): ChatMessage {
  return {
    role: 'assistant',
    content: text,
    toolCalls: calls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
  };
}

export function toolMessage(callId: string, content: string): ChatMessage {
  return { role: 'tool', toolCallId: callId, content: truncate(content) };
}

export function resultText(output: unknown): string {
  return truncate(JSON.stringify(output) ?? 'null');
}

export const deniedText = (tool: string) =>
  `Refused by policy: ${tool} may not be called by this agent. Do not call it again; go on without it.`;

export const rejectedText = (tool: string, reviewer: string, reason: string | undefined) =>
  `Rejected by ${reviewer}: ${reason?.trim() || 'no reason given'}. ${tool} did not run.`;

export const expiredText = (tool: string) => `Nobody approved ${tool} in time; it did not run.`;

export const unknownToolText = (tool: string, known: string[]) =>
  `There is no tool named ${tool}. The tools are: ${known.join(', ') || 'none'}.`;

function truncate(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}… [${text.length - MAX_RESULT_CHARS} more characters not shown]`;
}
