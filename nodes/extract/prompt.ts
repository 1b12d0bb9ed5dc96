// The provider leg: chat messages asking for JSON in the extraction's own schema, and the parser
// that keeps only what is grounded in the email: every date, amount, action and client the model
// returns must be found in the text, or it is dropped (and counted in the notes).
import { finishReasonConfidence, jsonReplyParser } from '../../models/json-reply.ts';
import type { ChatMessage, ReplyInfo } from '../../models/types.ts';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import type { EventValue, Extraction, Retrieval } from '../sdk/ports.ts';
import { describeCorrection, type LearnedCorrection } from './corrections.ts';
import { toPort } from './to-port.ts';

const labels = ['lead', 'billing', 'change', 'feedback', 'scheduling', 'spam', 'other'] as const;

/** What the model must answer: the decision-critical fields, each value with the words it was read from. */
export const providerAnswerSchema = {
  title: 'ExtractionAnswer',
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'client', 'dates', 'amounts', 'actions', 'confidence'],
  properties: {
    intent: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'confidence'],
      properties: { label: { enum: labels }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
    },
    client: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string' } },
    },
    dates: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'text'],
        properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, text: { type: 'string' } },
      },
    },
    amounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'currency', 'text'],
        properties: {
          value: { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          text: { type: 'string' },
        },
      },
    },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: { text: { type: 'string' }, due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
      },
    },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

interface ProviderAnswer {
  intent: { label: (typeof labels)[number]; confidence: number };
  client: { name: string } | null;
  dates: { date: string; text: string }[];
  amounts: { value: string; currency: string; text: string }[];
  actions: { text: string; due?: string }[];
  confidence: number;
}

const MAX_TEXT = 12_000;
const MAX_CONTEXT_RECORDS = 5;
const MAX_RECORD_TEXT = 600;

const system = [
  'You read one email for a one-person business. Answer with one JSON object that matches the given JSON Schema, nothing else.',
  `intent.label is the purpose of the email: ${labels.join(', ')}. Phishing is spam; declines, auto-replies, bounces and newsletters are other.`,
  "client: the organisation the sender speaks for (signature, their domain, a form's company field), or null for a private person, spam and machine mail. Never the recipient's own business, a relay or a person.",
  "dates: the days the email commits to or proposes (deadlines, meetings, each proposed slot, events), as YYYY-MM-DD resolved in the sender's own time zone from the Date given. Not past events, superseded days, quoted history or vague spans.",
  'amounts: every money amount stated, value in major units as a decimal string with its ISO 4217 currency.',
  'actions: only what the recipient is asked to do; not what the sender promises; not boilerplate.',
  'Every "text" must be copied exactly from the email: a value whose words are not in the email is discarded.',
].join('\n');

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
  messageText: string,
  context: Retrieval | undefined,
  corrections: readonly LearnedCorrection[] = [],
): ChatMessage[] {
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
    correctionExamples(corrections),
    `Email:\n${header}\n\n${messageText.slice(0, MAX_TEXT)}`,
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user.trim() },
  ];
}

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Where `needle` is in `haystack`, ignoring case and runs of white space; undefined when it is not. */
export function spanOf(haystack: string, needle: string): { start: number; end: number } | undefined {
  const target = squash(needle);
  if (!target) return undefined;
  const pattern = new RegExp(
    target
      .split(' ')
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+'),
    'i',
  );
  const match = pattern.exec(haystack);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

/**
 * The provider's answer as an extraction: values grounded in the email's text get their spans,
 * the others are dropped and counted. Returns the share that was grounded.
 */
export function groundAnswer(
  answer: ProviderAnswer,
  base: ExtractionResult,
  sender: string,
): { result: ExtractionResult; grounded: number; dropped: string[] } {
  const text = base.message.text;
  const dropped: string[] = [];
  const keep = <T extends { text: string }>(items: T[], what: string) =>
    items.flatMap((item) => {
      const span = spanOf(text, item.text);
      if (!span) dropped.push(`${what} "${item.text.slice(0, 60)}"`);
      return span ? [{ item, span }] : [];
    });
  const dates = keep(answer.dates, 'date');
  const amounts = keep(answer.amounts, 'amount');
  const actions = keep(answer.actions, 'action');
  const clientSpan = answer.client ? spanOf(`${text}\n${sender}`, answer.client.name) : undefined;
  if (answer.client && !clientSpan) dropped.push(`client "${answer.client.name}"`);
  const total = answer.dates.length + answer.amounts.length + answer.actions.length + (answer.client ? 1 : 0);
  const grounded = total === 0 ? 1 : (total - dropped.length) / total;
  const confidence = answer.confidence;
  const result: ExtractionResult = {
    ...base,
    intent: {
      label: answer.intent.label,
      kind: answer.intent.label === 'change' ? 'change-request' : answer.intent.label,
      confidence: answer.intent.confidence,
      reasons: ['read by the provider model'],
    },
    client:
      answer.client && clientSpan
        ? {
            name: answer.client.name,
            confidence,
            evidence: [
              {
                source: 'text',
                text: answer.client.name,
                ...(clientSpan.end <= text.length ? { span: clientSpan } : {}),
              },
            ],
          }
        : null,
    dates: dates.map(({ item, span }) => ({
      date: item.date,
      role: 'date' as const,
      text: item.text,
      confidence,
      span,
    })),
    amounts: amounts.map(({ item, span }) => ({
      value: item.value,
      currency: item.currency,
      role: 'price' as const,
      text: item.text,
      confidence,
      span,
    })),
    actions: actions.map(({ item, span }) => ({
      text: item.text,
      owner: 'me' as const,
      ...(item.due ? { due: item.due } : {}),
      confidence,
      span,
    })),
    confidence,
    route: 'auto',
    reasons: dropped.length > 0 ? [`${dropped.length} value(s) not found in the email were dropped`] : [],
  };
  return { result, grounded, dropped };
}

/** Parses, validates and grounds a provider reply; its confidence is the lowest of what it says, how it ended, and grounding. */
export function providerParser(
  event: EventValue,
  base: ExtractionResult,
  fields: readonly string[],
  notes: string[],
): (text: string, reply: ReplyInfo) => { value: Extraction; confidence: number } {
  const sender = `${event.actor.name ?? ''} ${event.actor.address ?? ''}`;
  const parse = jsonReplyParser<ProviderAnswer>(providerAnswerSchema, (answer, reply) =>
    Math.min(answer.confidence, answer.intent.confidence, finishReasonConfidence(reply.finishReason)),
  );
  return (text, reply) => {
    const { value: answer, confidence: stated } = parse(text, reply);
    const { result, grounded, dropped } = groundAnswer(answer, base, sender);
    if (dropped.length > 0)
      notes.push(`provider: dropped ${dropped.length} ungrounded value(s): ${dropped.join(', ')}`);
    const confidence = Math.round(Math.min(stated, 0.3 + 0.7 * grounded) * 100) / 100;
    const { extraction } = toPort({ ...result, confidence }, event, fields, reply.model);
    return { value: { ...extraction, confidence, tier: reply.tier, model: reply.model }, confidence };
  };
}
