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
    kind: {
      enum: ['document', 'transcript'],
      description:
        'Document sources: read the body as a meeting transcript (`transcript`) or as a document. Without it, ' +
        '`text/vtt`, `application/x-subrip` and a `.vtt`/`.srt` uri are transcripts, anything else a document.',
    },
    meetingAt: {
      type: 'string',
      format: 'date-time',
      description:
        'Transcripts: when the meeting took place (else read from the file or its uri, else the ingest time).',
    },
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

export const sourceParams = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: sourceName },
} as const;

/** How long the previous secret keeps verifying after a rotation. */
export const DEFAULT_OVERLAP_HOURS = 24;

export const rotateSourceBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    overlapHours: {
      type: 'number',
      minimum: 0,
      maximum: 720,
      description: `Hours the previous secret keeps verifying (default ${DEFAULT_OVERLAP_HOURS}; 0 stops it at once).`,
    },
  },
} as const;

const webhookSourceProperties = {
  name: sourceName,
  kind: { enum: webhookSourceKinds },
  rateLimitPerMinute: { type: 'integer' },
  createdAt: { type: 'string', format: 'date-time' },
  previousSecretValidUntil: {
    type: 'string',
    format: 'date-time',
    description: 'Until when the secret before the last rotation still verifies.',
  },
} as const;

/** A source as listed: never its secret. */
export const webhookSourceReply = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'rateLimitPerMinute', 'createdAt'],
  properties: webhookSourceProperties,
} as const;

/** The answer to a creation or a rotation: the only place the new secret is ever shown. */
export const webhookSourceWithSecretReply = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'rateLimitPerMinute', 'createdAt', 'secret'],
  properties: {
    ...webhookSourceProperties,
    secret: { type: 'string', description: 'The signing secret, shown once: store it now.' },
  },
} as const;
