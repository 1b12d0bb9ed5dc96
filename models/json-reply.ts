import { assertValid } from '../schemas/ajv.ts';
import type { ReplyInfo } from './types.ts';

/**
 * Trust in a reply from how it ended. `stop` means the model finished on its own: 0.9, not 1,
 * because finishing says nothing about being right (a policy asking for more always gets a
 * human). `length` means it was cut off at the token limit: 0.4, usable only as a proposal.
 * `content_filter` withheld part of it: 0.1. No reason given (some local servers): 0.7.
 */
export function finishReasonConfidence(finishReason: string | null): number {
  switch (finishReason) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return 0.9;
    case 'length':
      return 0.4;
    case 'content_filter':
      return 0.1;
    default:
      return 0.7;
  }
}

const FENCE = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/;

/**
 * A `parse` for ModelRequest.provider when the answer must be JSON: strips a Markdown fence,
 * parses, validates against `schema` (throws with the offending fields, which the router
 * notes as a malformed reply), and scores confidence by the finish reason unless told how.
 */
export function jsonReplyParser<T>(
  schema: object,
  confidenceOf: (value: T, reply: ReplyInfo) => number = (_value, reply) => finishReasonConfidence(reply.finishReason),
): (text: string, reply: ReplyInfo) => { value: T; confidence: number } {
  return (text, reply) => {
    const unfenced = FENCE.exec(text)?.[1] ?? text;
    let json: unknown;
    try {
      json = JSON.parse(unfenced);
    } catch (error) {
      throw new Error(`not JSON (${(error as Error).message})`, { cause: error });
    }
    assertValid<T>(schema, json, 'reply');
    return { value: json, confidence: confidenceOf(json, reply) };
  };
}
