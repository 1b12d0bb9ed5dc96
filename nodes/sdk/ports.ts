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

const dateMention = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'date', 'confidence'],
  properties: {
    text: { type: 'string', description: 'The words as written: "next Friday".' },
    date: { type: 'string', description: 'ISO 8601 date or date-time it resolves to.' },
    confidence: scored,
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
      properties: { label: { enum: intents }, confidence: scored },
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
          confidence: scored,
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
    confidence: { ...scored, description: 'Overall confidence: the lowest that matters for routing.' },
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
