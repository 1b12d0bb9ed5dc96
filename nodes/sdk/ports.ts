// Schemas of values that travel between nodes. Built-in nodes use these for their ports so
// that edges between them type-check (workflows/compatibility.ts compares them structurally).
import type { FromSchema } from 'json-schema-to-ts';
import { embed } from '../../schemas/common.ts';
import { eventSchema } from '../../schemas/event.ts';
import { memoryRecordSchema } from '../../schemas/memory-record.ts';

export const eventPort = { ...embed(eventSchema), title: 'Event' } as const;

const scored = { type: 'number', minimum: 0, maximum: 1 } as const;

/** What retrieve returns: the records, and what makes the search checkable later. */
export const retrievalPort = {
  title: 'Retrieved memory',
  type: 'object',
  additionalProperties: false,
  required: ['query', 'fingerprint', 'indexVersion', 'ids', 'records'],
  properties: {
    query: { type: 'string' },
    fingerprint: { type: 'string' },
    indexVersion: { type: 'string' },
    ids: { type: 'array', items: { type: 'string' } },
    records: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['record', 'score'],
        properties: { record: embed(memoryRecordSchema), score: { type: 'number' } },
      },
    },
  },
} as const;

export const intents = ['lead', 'billing', 'change-request', 'feedback', 'scheduling', 'spam', 'other'] as const;

/** Where a value was read: character offsets into the extraction's `message.text`. */
const span = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
} as const;

const dateMention = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'date', 'confidence'],
  properties: {
    text: { type: 'string', description: 'The words as written: "next Friday".' },
    date: { type: 'string', description: 'ISO 8601 date or date-time it resolves to.' },
    role: { enum: ['deadline', 'meeting', 'due', 'event', 'date'] },
    confidence: scored,
    span,
  },
} as const;

/** What extract finds in an event, each item with a confidence in [0, 1]. */
export const extractionPort = {
  title: 'Extraction',
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'actionItems', 'dates', 'amounts', 'people', 'organizations', 'confidence'],
  properties: {
    intent: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'confidence'],
      properties: {
        label: { enum: intents },
        kind: {
          type: 'string',
          description: 'Finer: phishing, decline, auto-reply, bounce, newsletter, notification…',
        },
        confidence: scored,
        reasons: { type: 'array', items: { type: 'string' } },
      },
    },
    actionItems: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'confidence'],
        properties: {
          text: { type: 'string' },
          owner: { type: 'string' },
          due: { type: 'string', description: 'ISO 8601 date, when the item says when.' },
          confidence: scored,
          span,
        },
      },
    },
    dates: { type: 'array', items: dateMention },
    amounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'amountMinor', 'currency', 'confidence'],
        properties: {
          text: { type: 'string' },
          amountMinor: { type: 'integer' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          value: { type: 'string', description: 'In major units, exact ("1250.50").' },
          role: { enum: ['rate', 'tax', 'total', 'budget', 'paid', 'due', 'price'] },
          confidence: scored,
          span,
        },
      },
    },
    people: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'confidence'],
        properties: { name: { type: 'string' }, email: { type: 'string' }, confidence: scored },
      },
    },
    organizations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'confidence'],
        properties: { name: { type: 'string' }, confidence: scored },
      },
    },
    fields: {
      type: 'object',
      description: 'Named fields a template asked for (budget, deadline, needs…).',
      additionalProperties: true,
    },
    client: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'confidence'],
      description: 'The organisation the sender speaks for, with where it was read.',
      properties: {
        name: { type: 'string' },
        clientId: { type: 'string' },
        confidence: scored,
        evidence: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['source', 'text'],
            properties: { source: { type: 'string' }, text: { type: 'string' }, span },
          },
        },
      },
    },
    route: { enum: ['auto', 'person'], description: 'person when a decision-critical field is unsure.' },
    reasons: { type: 'array', items: { type: 'string' } },
    message: {
      type: 'object',
      additionalProperties: false,
      required: ['text'],
      description: 'The body the spans point into, and its parts (new, quoted, forwarded, signature…).',
      properties: {
        text: { type: 'string' },
        segments: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'start', 'end'],
            properties: { kind: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' } },
          },
        },
      },
    },
    confidence: {
      ...scored,
      description: 'Overall confidence: the chance that every decision-critical field is right.',
    },
    tier: { enum: ['cached', 'local', 'provider', 'human'] },
    model: { type: 'string' },
  },
} as const;

/** A piece of text for a human or a client: reply, proposal, status update, reminder. */
export const draftPort = {
  title: 'Draft',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'text'],
  properties: {
    kind: {
      type: 'string',
      description: 'reply, proposal, status-update, reminder, social-post, estimate, invoice-note…',
    },
    subject: { type: 'string' },
    text: { type: 'string', minLength: 1 },
    to: { type: 'string' },
    format: { enum: ['plain', 'markdown'] },
  },
} as const;

export type EventValue = FromSchema<typeof eventPort>;
export type Retrieval = FromSchema<typeof retrievalPort>;
export type Extraction = FromSchema<typeof extractionPort>;
export type Intent = (typeof intents)[number];
export type Draft = FromSchema<typeof draftPort>;
