import type { FromSchema } from 'json-schema-to-ts';
import { mailAccountId } from '../../schemas/mail-account.ts';
import { eventPort } from '../sdk/ports.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

export const sendEmailDeclaration = {
  type: 'send-email',
  version: 1,
  title: 'Send email',
  description:
    'Sends a reply to an email (threaded, the original quoted) or a new message from a mail account, exactly once: ' +
    'a retry returns the same outbox message. It sends only what a person approved in review, or what the ' +
    'autoSend policy allows, and never answers auto-replies or bounces by itself. When a hand-off’s outcome is ' +
    'unknown, it waits for a person to say whether the message arrived.',
  category: 'output',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['account', 'mode'],
    properties: {
      account: { ...mailAccountId, title: 'Mail account' },
      mode: { enum: ['reply', 'new'], title: 'Reply or new message', default: 'reply' },
      to: {
        type: 'string',
        maxLength: 1000,
        title: 'To (new messages)',
        description: 'Comma-separated addresses. Placeholders: {{sender}}, {{clientEmail}}.',
      },
      subject: {
        type: 'string',
        maxLength: 500,
        title: 'Subject (new messages)',
        description: 'Placeholders: {{subject}}, {{invoiceNumber}}, {{total}}.',
      },
      attachInvoice: { type: 'boolean', title: 'Attach the invoice PDF', default: false },
      autoSend: {
        type: 'object',
        additionalProperties: false,
        required: ['minConfidence', 'maxPerDay'],
        title: 'Send without review',
        description: 'Send without a person when the confidence is at least this, up to this many a day (UTC).',
        properties: {
          minConfidence: { type: 'number', minimum: 0, maximum: 1 },
          maxPerDay: { type: 'integer', minimum: 0, maximum: 1000 },
        },
      },
    },
  },
  input: {
    type: 'object',
    required: ['body'],
    properties: {
      event: {
        ...eventPort,
        title: 'Email answered',
        description: 'An email event; `payload.automated` (auto-replies, bounces) is never answered automatically.',
      },
      body: {
        title: 'Text',
        description: 'The approved draft: text, or a draft with a `text` field (the review’s value).',
        anyOf: [
          { type: 'string', minLength: 1, maxLength: 100_000 },
          {
            type: 'object',
            required: ['text'],
            properties: { text: { type: 'string', minLength: 1, maxLength: 100_000 } },
          },
        ],
      },
      decision: {
        enum: ['approved', 'edited', 'rejected', 'expired'],
        title: 'Review decision',
        description: 'From a human review: approved or edited lets the message go.',
      },
      reviewer: {
        type: 'string',
        maxLength: 200,
        title: 'Reviewer',
        description: 'Who approved it (from a human review).',
      },
      invoice: {
        type: 'object',
        title: 'Invoice',
        description: 'The invoice node’s output.',
        properties: {
          invoice: {
            type: 'object',
            required: ['id', 'number'],
            properties: {
              id: { type: 'string' },
              number: { type: 'string' },
              clientId: { type: 'string' },
              totalMinor: { type: 'integer' },
              currency: { type: 'string', pattern: '^[A-Z]{3}$' },
            },
          },
          totalText: { type: 'string', description: 'Else {{total}} is formatted from totalMinor and currency.' },
        },
      },
      confidence: { type: 'number', minimum: 0, maximum: 1, title: 'Confidence of the draft' },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['outboxId', 'messageId', 'to', 'subject', 'approvedBy', 'how'],
    properties: {
      outboxId: { type: 'string', title: 'Outbox message' },
      messageId: { type: 'string', title: 'Message-ID' },
      to: { type: 'array', items: { type: 'string' }, title: 'Recipients' },
      subject: { type: 'string', title: 'Subject' },
      approvedBy: { type: 'string', title: 'Approved by', description: 'The reviewer, or auto.' },
      how: { enum: ['sent', 'already-sent', 'found-in-sent'], title: 'How it was settled' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 120_000,
    // An unknown outcome waits for a person: many retries, backing off to ten minutes apart.
    retry: { maximumAttempts: 100, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 600_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#2563eb', icon: 'send', summaryField: 'account' },
  examples: [
    {
      title: 'Send the approved reply',
      config: { account: 'studio', mode: 'reply' },
      input: { body: { kind: 'reply', text: 'Hi Jane, attached. Ada' }, decision: 'approved', reviewer: 'ada' },
    },
  ],
} as const satisfies NodeDeclaration;

export type SendEmailConfig = FromSchema<typeof sendEmailDeclaration.config>;
export type SendEmailInput = FromSchema<typeof sendEmailDeclaration.input>;
export type SendEmailOutput = FromSchema<typeof sendEmailDeclaration.output>;
