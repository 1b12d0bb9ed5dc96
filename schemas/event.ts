import type { FromSchema } from 'json-schema-to-ts';
import { confidence, DRAFT_2020_12, idString, SCHEMA_BASE, timestamp } from './common.ts';

export const sourceKinds = ['email', 'webhook', 'document', 'form', 'manual', 'schedule', 'transcript'] as const;

/** A typed fact that entered Trellis. Ingest never drops input: invalid input becomes a rejected Event. */
export const eventSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/event.json`,
  title: 'Event',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'type',
    'actor',
    'source',
    'occurredAt',
    'receivedAt',
    'confidence',
    'status',
    'payload',
    'metadata',
  ],
  properties: {
    id: idString,
    type: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'email.received, webhook.received, document.uploaded, …',
    },
    status: { enum: ['accepted', 'rejected'] },
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { enum: ['person', 'system', 'schedule'] },
        name: { type: 'string', maxLength: 300 },
        address: { type: 'string', maxLength: 300 },
      },
    },
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'uri', 'version'],
      properties: {
        kind: { enum: sourceKinds },
        uri: { type: 'string', minLength: 1, maxLength: 2000 },
        version: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    occurredAt: timestamp,
    receivedAt: timestamp,
    confidence,
    projectId: idString,
    clientId: idString,
    threadId: { type: 'string', maxLength: 500 },
    idempotencyKey: { type: 'string', maxLength: 300 },
    payload: {
      type: 'object',
      description: 'What the event says: subject, text, attachments, fields. Its shape depends on `type`.',
      additionalProperties: true,
      properties: {
        subject: { type: 'string' },
        text: { type: 'string' },
        html: { type: 'string' },
        /** Email only: mail a machine sent (auto-reply, bounce, bulk), so that nothing answers it automatically. */
        automated: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'evidence'],
          properties: {
            kind: { enum: ['auto-reply', 'bounce', 'bulk'] },
            /** The header (or sender) that says so, as `name: value`. */
            evidence: { type: 'string', maxLength: 500 },
          },
        },
        attachments: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['filename', 'contentType', 'size'],
            properties: {
              filename: { type: 'string' },
              contentType: { type: 'string' },
              size: { type: 'integer', minimum: 0 },
              sha256: { type: 'string' },
              text: { type: 'string' },
            },
          },
        },
      },
    },
    metadata: { type: 'object', additionalProperties: true },
    rejection: {
      type: 'object',
      additionalProperties: false,
      required: ['reason', 'errors'],
      properties: {
        reason: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['pointer', 'message'],
            properties: { pointer: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

export type Event = FromSchema<typeof eventSchema>;
export type SourceKind = (typeof sourceKinds)[number];
