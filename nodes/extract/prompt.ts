// The provider leg: chat messages asking for JSON in the extraction schema, and the parser
// that validates the reply and decides how far to trust it.
import { finishReasonConfidence, jsonReplyParser } from '../../models/json-reply.ts';
import type { ChatMessage, ReplyInfo } from '../../models/types.ts';
import { extractionPort, intents, type EventValue, type Extraction, type Retrieval } from '../sdk/ports.ts';
import { describeCorrection, type LearnedCorrection } from './corrections.ts';

const { tier: _tier, model: _model, ...answerProperties } = extractionPort.properties;

/** What the model must answer: the extraction without tier and model, which the router knows. */
export const providerAnswerSchema = {
  ...extractionPort,
  title: 'ExtractionAnswer',
  properties: answerProperties,
} as const;

export type ProviderAnswer = Omit<Extraction, 'tier' | 'model'>;

const MAX_TEXT = 12_000;
const MAX_CONTEXT_RECORDS = 5;
const MAX_RECORD_TEXT = 600;

const system = (fields: readonly string[]) =>
  [
    'You extract facts from one message for a one-person business. Answer with one JSON object that matches the given JSON Schema, nothing else.',
    `intent.label is one of: ${intents.join(', ')}. Auto-replies and announcements are "other".`,
    'actionItems: what the message asks someone to do, or what someone commits to do. owner is "me" for the recipient, else the name of the person who commits. due is an ISO date, only when a deadline is stated.',
    'dates: every mention of a specific day, resolved against the message date, as ISO 8601 (date, or date-time with offset when a time is given). Ignore quoted earlier messages.',
    'amounts: every amount of money, amountMinor in integer minor units (cents), currency as ISO 4217. A range gives both ends.',
    'people and organizations: names written in the message or its signature.',
    fields.length > 0
      ? `fields: an object with these keys when the message gives them: ${fields.join(', ')}. Leave out keys it does not give.`
      : 'fields: leave out.',
    'Every confidence is in [0, 1] and says how sure you are; confidence is your overall confidence. Copy text fields from the message words where you can. Never invent facts the message does not state.',
  ].join('\n');

/** The person's corrections of similar messages from this client, as examples for the model. */
function correctionExamples(corrections: readonly LearnedCorrection[]): string {
  const lines = corrections
    .filter((c) => c.rules.decision === 'edited')
    .slice(0, MAX_CONTEXT_RECORDS)
    .map((c) => `- a similar message (similarity ${c.similarity.toFixed(2)}): ${describeCorrection(c.rules)}`);
  return lines.length > 0
    ? `Corrections the owner made to earlier extractions of similar messages from this sender; follow them where they fit:\n${lines.join('\n')}\n`
    : '';
}

export function buildMessages(
  event: EventValue,
  context: Retrieval | undefined,
  fields: readonly string[],
  corrections: readonly LearnedCorrection[] = [],
): ChatMessage[] {
  const text = (event.payload.text ?? '').slice(0, MAX_TEXT);
  const header = [
    `From: ${[event.actor.name, event.actor.address ? `<${event.actor.address}>` : ''].filter(Boolean).join(' ')}`,
    `Date: ${event.occurredAt}`,
    `Subject: ${event.payload.subject ?? ''}`,
  ].join('\n');
  const background = (context?.records ?? [])
    .slice(0, MAX_CONTEXT_RECORDS)
    .map(({ record }) => `- [${record.kind}] ${record.text.slice(0, MAX_RECORD_TEXT)}`)
    .join('\n');
  const user = [
    background ? `Background from memory (for names and context; do not extract from it):\n${background}\n` : '',
    ...(corrections.length > 0 ? [correctionExamples(corrections)] : []),
    `Message:\n${header}\n\n${text}`,
  ].join('\n');
  return [
    { role: 'system', content: system(fields) },
    { role: 'user', content: user.trim() },
  ];
}

/**
 * Share of the answer's dates, amounts and names whose words occur in the message: a model
 * that reports facts the text does not contain is not trusted, however sure it says it is.
 */
export function groundedShare(answer: ProviderAnswer, messageText: string): number {
  const haystack = messageText.toLowerCase();
  const claims = [
    ...answer.dates.map((date) => date.text),
    ...answer.amounts.map((amount) => amount.text),
    ...answer.people.map((person) => person.name.split(/\s+/)[0] ?? ''),
    ...answer.organizations.map((org) => org.name.split(/[\s,]+/)[0] ?? ''),
  ].filter((claim) => claim.trim().length > 0);
  if (claims.length === 0) return 1;
  return claims.filter((claim) => haystack.includes(claim.toLowerCase().trim())).length / claims.length;
}

/** Confidence of a provider answer: the lowest of what the model says, how its reply ended, and grounding. */
export function answerConfidence(answer: ProviderAnswer, reply: ReplyInfo, messageText: string): number {
  const grounded = groundedShare(answer, messageText);
  return Math.min(
    answer.confidence,
    answer.intent.confidence,
    finishReasonConfidence(reply.finishReason),
    0.3 + 0.7 * grounded,
  );
}

/** Parses, validates (Ajv, via the shared instance) and scores a provider reply; throws when malformed. */
export function providerParser(
  event: EventValue,
): (text: string, reply: ReplyInfo) => { value: Extraction; confidence: number } {
  const messageText = `${event.payload.subject ?? ''}\n${event.payload.text ?? ''}\n${event.actor.name ?? ''} ${event.actor.address ?? ''}`;
  const parse = jsonReplyParser<ProviderAnswer>(providerAnswerSchema, (answer, reply) =>
    answerConfidence(answer, reply, messageText),
  );
  return (text, reply) => {
    const { value, confidence } = parse(text, reply);
    for (const date of value.dates)
      if (Number.isNaN(Date.parse(date.date))) throw new Error(`date "${date.date}" is not ISO 8601`);
    const rounded = Math.round(confidence * 100) / 100;
    return { value: { ...value, confidence: rounded, tier: reply.tier, model: reply.model }, confidence: rounded };
  };
}
