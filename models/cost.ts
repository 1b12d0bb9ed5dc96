import type { ChatMessage } from './types.ts';

/** USD per million tokens, as providers publish them. Zero for a self-hosted model. */
export interface Prices {
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export const freePrices: Prices = { inputPerMTok: 0, outputPerMTok: 0 };

// About four characters per token for English on BPE tokenizers (OpenAI's rule of thumb);
// each message also carries a few tokens of framing.
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimatePromptTokens(messages: ChatMessage[], jsonSchema?: object): number {
  const schemaTokens = jsonSchema ? estimateTokens(JSON.stringify(jsonSchema)) : 0;
  return messages.reduce((sum, message) => {
    const calls = message.role === 'assistant' && message.toolCalls ? JSON.stringify(message.toolCalls) : '';
    return sum + TOKENS_PER_MESSAGE + estimateTokens(message.content) + estimateTokens(calls);
  }, schemaTokens);
}

export function costUsd(usage: TokenUsage, prices: Prices): number {
  return (usage.promptTokens * prices.inputPerMTok + usage.completionTokens * prices.outputPerMTok) / 1_000_000;
}

/** Upper estimate of one call: the prompt as sent, and a reply as long as it is allowed to be. */
export function estimateCostUsd(
  messages: ChatMessage[],
  jsonSchema: object | undefined,
  maxOutputTokens: number,
  prices: Prices,
): number {
  return costUsd(
    { promptTokens: estimatePromptTokens(messages, jsonSchema), completionTokens: maxOutputTokens },
    prices,
  );
}

export function isFree(prices: Prices): boolean {
  return prices.inputPerMTok === 0 && prices.outputPerMTok === 0;
}
