import { sha256Hex } from '../../../lib/sha256.ts';
import { shortHash, utf8Text } from './bytes.ts';
import { confidenceFor, type Guess } from './confidence.ts';
import { declaredId, declaredTime, firstText, isJsonObject, segment } from './fields.ts';
import { jsonProblem } from './json-limits.ts';
import { rejectInput } from './rejected.ts';
import type { Parsed, RawContent } from './types.ts';

const idFields = ['id', 'event_id', 'eventId', 'delivery_id', 'deliveryId'] as const;
const textFields = ['text', 'message', 'body', 'content', 'description'] as const;

function isJsonMediaType(mediaType: string | undefined): boolean {
  return (
    mediaType === undefined ||
    mediaType === 'application/json' ||
    mediaType === 'text/json' ||
    mediaType === 'text/plain' ||
    /^application\/[\w.-]+\+json$/.test(mediaType)
  );
}

/** Any JSON object as a `webhook.received` event; its body is kept whole in `payload.body`. */
export function parseWebhook(raw: RawContent): Parsed {
  if (!isJsonMediaType(raw.mediaType)) {
    return rejectInput('webhook', raw, 'wrong content type for a webhook source', [
      { pointer: '/contentType', message: `is ${raw.mediaType}; a webhook source takes application/json` },
    ]);
  }
  const text = utf8Text(raw.bytes);
  if (text === undefined) {
    return rejectInput('webhook', raw, 'not JSON', [{ pointer: '/content', message: 'is not UTF-8 text' }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return rejectInput('webhook', raw, 'not JSON', [
      { pointer: '/content', message: `is not JSON: ${(error as Error).message}` },
    ]);
  }
  if (!isJsonObject(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    return rejectInput('webhook', raw, 'not a JSON object', [
      { pointer: '/content', message: `must be a JSON object, got ${got}` },
    ]);
  }
  const problem = jsonProblem(body);
  if (problem) return rejectInput('webhook', raw, problem.reason, [problem.error]);

  const source = raw.sourceName ?? 'default';
  const id = declaredId(body, idFields);
  const uri = `webhook://${segment(source)}/${id ? segment(id) : `sha256:${sha256Hex(raw.bytes)}`}`;
  const declared = declaredTime(body);
  const guesses: Guess[] = declared ? [] : ['occurredAtFromDelivery'];
  const found = firstText(body, textFields);
  const eventType = typeof body.type === 'string' ? body.type : undefined;

  return {
    identity: uri,
    draft: {
      type: 'webhook.received',
      actor: { kind: 'system', name: source },
      source: { kind: 'webhook', uri, version: shortHash(raw.bytes) },
      occurredAt: declared ?? raw.receivedAt,
      confidence: confidenceFor(guesses),
      payload: { body, ...(found ? { text: found.text } : {}) },
      metadata: {
        ...(raw.sourceName ? { sourceName: raw.sourceName } : {}),
        contentType: raw.mediaType ?? 'application/json',
        size: raw.bytes.length,
        guessed: guesses,
        ...(eventType ? { eventType } : {}),
        ...(found ? { textFrom: `/body/${found.field}` } : {}),
      },
    },
  };
}
