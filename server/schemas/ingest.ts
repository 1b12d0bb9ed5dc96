import { webhookSourceKinds } from '../../store/webhook-sources.ts';

export const sourceName = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' } as const;

export const ingestParams = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: { source: sourceName },
} as const;

export const ingestQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    uri: { type: 'string', minLength: 1, maxLength: 2000, description: 'Document identity (document sources).' },
    version: { type: 'string', minLength: 1, maxLength: 200, description: 'Document version.' },
  },
} as const;

export const ingestHeaders = {
  type: 'object',
  properties: {
    'x-trellis-timestamp': { type: 'string', description: 'Unix seconds; within 5 minutes of the server clock.' },
    'x-trellis-signature': { type: 'string', description: 'sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>' },
    'idempotency-key': { type: 'string', maxLength: 200, description: 'Else derived from the message id or body.' },
  },
} as const;

export const createSourceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: sourceName,
    kind: { enum: webhookSourceKinds, default: 'webhook' },
    rateLimitPerMinute: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  },
} as const;
