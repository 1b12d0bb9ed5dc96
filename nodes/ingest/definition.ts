import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort } from '../sdk/ports.ts';
import { ingestSourceKinds } from './parse/types.ts';

export const ingestDeclaration = {
  type: 'ingest',
  version: 1,
  title: 'Ingest',
  description:
    'Turns an email (RFC 822), webhook JSON, form submission, document (text, markdown, PDF) or meeting transcript ' +
    '(WebVTT, SRT, Zoom, Meet, Teams, Otter, pasted) into a stored Event, ' +
    'linked to its client and project by sender and thread. Unreadable input is stored as a rejected Event.',
  category: 'input',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['sourceKind'],
    properties: {
      sourceKind: { enum: ingestSourceKinds, title: 'What arrives', default: 'email' },
      sourceName: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
        title: 'Source name',
        description: 'The webhook source or mailbox it arrives through, e.g. `stripe`, `inbox`.',
      },
    },
  },
  input: {
    type: 'object',
    required: ['raw'],
    properties: {
      raw: {
        type: 'object',
        title: 'Raw input',
        additionalProperties: false,
        required: ['content'],
        properties: {
          content: {
            type: 'string',
            title: 'Content',
            description: 'The message, body or document as received: text, or base64 for binary (PDF, 8-bit mail).',
          },
          encoding: { enum: ['utf8', 'base64'], title: 'Encoding', default: 'utf8' },
          contentType: {
            type: 'string',
            maxLength: 200,
            title: 'Content type',
            description: 'message/rfc822, application/json, application/x-www-form-urlencoded, text/markdown…',
          },
          uri: { type: 'string', minLength: 1, maxLength: 2000, title: 'Document uri' },
          version: { type: 'string', minLength: 1, maxLength: 200, title: 'Document version' },
          meetingAt: {
            type: 'string',
            format: 'date-time',
            title: 'Meeting date',
            description:
              'Transcripts: when the meeting took place; else read from the file or its name, else the ingest time.',
          },
          receivedAt: { type: 'string', format: 'date-time', title: 'Received at' },
          idempotencyKey: {
            type: 'string',
            minLength: 1,
            maxLength: 300,
            title: 'Idempotency key',
            description:
              'One event per key, used as given (so make it unique across sources, e.g. `webhook:stripe:<delivery id>`). ' +
              'Without it: the Message-ID, webhook id or document uri@version, else a content hash.',
          },
        },
      },
    },
  },
  output: {
    type: 'object',
    required: ['event', 'duplicate'],
    properties: {
      event: eventPort,
      duplicate: { type: 'boolean', title: 'Already ingested', description: 'True when this input was stored before.' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 60_000,
    retry: { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#2b6cb0', icon: 'inbox', summaryField: 'sourceKind' },
  examples: [
    {
      title: 'Webhook delivery',
      config: { sourceKind: 'webhook', sourceName: 'stripe' },
      input: {
        raw: {
          content: '{"id":"evt_1","type":"invoice.paid","created":1717171717}',
          contentType: 'application/json',
        },
      },
    },
    {
      title: 'Email',
      config: { sourceKind: 'email', sourceName: 'inbox' },
      input: {
        raw: {
          content: 'From: Jane <jane@example.com>\r\nSubject: Quote\r\nMessage-ID: <q1@example.com>\r\n\r\nHi!\r\n',
          contentType: 'message/rfc822',
        },
      },
    },
    {
      title: 'Meeting transcript',
      config: { sourceKind: 'transcript', sourceName: 'meetings' },
      input: {
        raw: {
          content: 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana>Can you send the quote by Friday?</v>\n',
          contentType: 'text/vtt',
          uri: '2026-11-24-kickoff.vtt',
          meetingAt: '2026-11-24T14:00:00Z',
        },
      },
    },
  ],
} as const satisfies NodeDeclaration;

export type IngestConfig = FromSchema<typeof ingestDeclaration.config>;
export type IngestInput = FromSchema<typeof ingestDeclaration.input>;
export type IngestOutput = FromSchema<typeof ingestDeclaration.output>;
