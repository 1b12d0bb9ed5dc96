import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

const probability = { type: 'number', minimum: 0, maximum: 1 } as const;
/** Where a value was read: character offsets into `message.text`. */
const span = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
} as const;
const isoDay = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/**
 * What `trellis extract`, `POST /api/extract` and the extract node find in an email: the same
 * function, the same JSON. Every value points to the text it was read from; `route` says
 * whether it may go on without a person.
 */
export const extractionResultSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/extraction-result.json`,
  title: 'ExtractionResult',
  type: 'object',
  additionalProperties: false,
  required: [
    'intent',
    'client',
    'dates',
    'amounts',
    'actions',
    'commitments',
    'confidence',
    'route',
    'reasons',
    'message',
    'model',
  ],
  properties: {
    intent: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'kind', 'confidence', 'reasons'],
      properties: {
        label: { enum: ['lead', 'billing', 'change', 'feedback', 'scheduling', 'spam', 'other'] },
        kind: {
          enum: [
            'lead',
            'billing',
            'change-request',
            'feedback',
            'scheduling',
            'spam',
            'phishing',
            'decline',
            'auto-reply',
            'bounce',
            'newsletter',
            'notification',
            'other',
          ],
          description: 'Finer than the label: phishing is spam, a decline or an auto-reply is other.',
        },
        confidence: probability,
        reasons: { type: 'array', items: { type: 'string' } },
      },
    },
    client: {
      description: 'The organisation the sender speaks for; null for private persons, spam and machine mail.',
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'confidence', 'evidence'],
          properties: {
            name: { type: 'string' },
            clientId: { type: 'string', description: 'A client already in the source of truth.' },
            confidence: probability,
            evidence: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['source', 'text'],
                properties: {
                  source: {
                    enum: [
                      'known-client',
                      'form',
                      'signature',
                      'domain',
                      'domain-only',
                      'reply-to',
                      'quoted-signature',
                      'display-name',
                      'text',
                    ],
                  },
                  text: { type: 'string' },
                  span,
                },
              },
            },
          },
        },
      ],
    },
    dates: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'role', 'text', 'confidence', 'span'],
        properties: {
          date: isoDay,
          time: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
          role: { enum: ['deadline', 'meeting', 'due', 'event', 'date'] },
          text: { type: 'string' },
          confidence: probability,
          span,
        },
      },
    },
    amounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'currency', 'role', 'text', 'confidence', 'span'],
        properties: {
          value: { type: 'string', pattern: '^\\d+(\\.\\d+)?$', description: 'In major units, exact.' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          role: { enum: ['rate', 'tax', 'total', 'budget', 'paid', 'due', 'price'] },
          text: { type: 'string' },
          confidence: probability,
          span,
        },
      },
    },
    actions: {
      description: 'What the operator is asked to do.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'owner', 'confidence', 'span'],
        properties: {
          text: { type: 'string' },
          owner: { const: 'me' },
          due: isoDay,
          confidence: probability,
          span,
        },
      },
    },
    commitments: {
      description: "What the sender (or someone else) says they will do: never the operator's to-do.",
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'owner', 'span'],
        properties: { text: { type: 'string' }, owner: { enum: ['sender', 'other'] }, due: isoDay, span },
      },
    },
    ignoredDates: {
      description: 'Days mentioned but not taken, with why (past, superseded, quoted …): shown to the reviewer.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'text', 'reason'],
        properties: { date: isoDay, text: { type: 'string' }, reason: { type: 'string' }, span },
      },
    },
    confidence: { ...probability, description: 'The lowest confidence of a decision-critical field.' },
    route: { enum: ['auto', 'person'], description: 'person when any decision-critical field is unsure.' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'Why the route was chosen.' },
    language: { type: 'string' },
    message: {
      type: 'object',
      additionalProperties: false,
      required: ['text', 'sentAt', 'segments'],
      properties: {
        text: { type: 'string', description: 'The body the spans point into.' },
        sentAt: { type: 'string', description: "When it was written, in the sender's own UTC offset." },
        segments: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'start', 'end'],
            properties: {
              kind: { enum: ['new', 'forwarded', 'forward-header', 'quoted', 'signature', 'disclaimer', 'metadata'] },
              start: { type: 'integer' },
              end: { type: 'integer' },
            },
          },
        },
      },
    },
    model: { type: 'string', description: 'Extractor and model versions.' },
  },
} as const;

export type ExtractionResult = FromSchema<typeof extractionResultSchema>;
