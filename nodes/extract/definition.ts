import type { FromSchema } from 'json-schema-to-ts';
import { embed } from '../../schemas/common.ts';
import { modelPolicySchema } from '../../schemas/model-policy.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort, extractionPort, retrievalPort } from '../sdk/ports.ts';

/** Used when a saved graph has no policy: a cent per call, 8 s, and a human below 0.6. */
export const defaultExtractPolicy = { maxCostUsd: 0.01, maxLatencyMs: 8000, minConfidence: 0.6 } as const;

/**
 * Finds the intent, the client, the operator's action items, the dates the message commits to
 * and the money in an event, with where each was read. The extraction library (extraction/) is
 * the local tier; its calibrated route sends what it is unsure of to the LLM provider (asked for
 * JSON, ungrounded values dropped) or to a person who confirms the best attempt.
 */
export const extractDeclaration = {
  type: 'extract',
  version: 1,
  title: 'Extract',
  description:
    'Finds the intent (lead, billing, change request, feedback, scheduling, spam, other), the client, your action items with due dates, the dates the message commits to and the amounts, in an email or document, with the words each was read from. Works offline; asks you when unsure.',
  category: 'ai',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      policy: {
        ...embed(modelPolicySchema),
        title: 'Model policy',
        description: 'Budget per call and the confidence below which a person checks the result.',
        default: defaultExtractPolicy,
      },
      fields: {
        type: 'array',
        title: 'Extra fields',
        description:
          'Named values a template needs, filled into extraction.fields: budget, deadline, needs, email, name, company, phone, or any "Name: value" written in the message.',
        items: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[A-Za-z][A-Za-z0-9 _-]*$' },
        maxItems: 30,
        uniqueItems: true,
      },
      referenceDate: {
        enum: ['occurredAt', 'receivedAt'],
        title: 'Relative dates from',
        description: '"Tomorrow" and "Friday" resolve against when the message was written (occurredAt) or received.',
        default: 'occurredAt',
      },
      learnFromCorrections: {
        type: 'boolean',
        title: 'Learn from corrections',
        description:
          'Apply the corrections you made to similar messages of the same client (from memory): relabelled intents, wrongly found items, missed names. The LLM sees them as examples.',
        default: true,
      },
      dateOrder: {
        enum: ['auto', 'month-first', 'day-first'],
        title: 'Numeric dates',
        description: "How to read 05/06: auto guesses from the dates in the text, the sender's country and currency.",
        default: 'auto',
      },
    },
  },
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['event'],
    properties: {
      event: eventPort,
      context: { ...retrievalPort, description: 'Retrieved memory, shown to the LLM tier as background.' },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['extraction'],
    properties: { extraction: extractionPort },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 30_000,
    retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000 },
  },
  tier: { cost: 'low', latency: 'fast' },
  sideEffects: false,
  editor: { color: '#7c3aed', icon: 'scan-text', summaryField: 'fields' },
  examples: [
    {
      title: 'A lead asking for a proposal',
      config: { fields: ['budget', 'deadline'] },
      input: {
        event: {
          id: 'evt-example-lead',
          type: 'email.received',
          status: 'accepted',
          actor: { kind: 'person', name: 'Marisol Vega', address: 'marisol@sweetcrumbbakery.com' },
          source: { kind: 'email', uri: 'mid:example-lead@sweetcrumbbakery.com', version: '1' },
          occurredAt: '2025-03-04T14:22:10-05:00',
          receivedAt: '2025-03-04T19:22:12Z',
          confidence: 1,
          payload: {
            subject: 'Website redesign for our bakery?',
            text: 'Hi Lena,\n\nWe are looking for a redesign of our bakery website. Our budget is around $6,000.\n\nCould you send over a rough proposal by Friday?\n\nThanks,\nMarisol Vega\nSweet Crumb Bakery',
          },
          metadata: {},
        },
      },
    },
  ],
} as const satisfies NodeDeclaration;

// The shared Ajv does not fill in defaults, so a saved config may lack them: keep them optional.
export type ExtractConfig = FromSchema<typeof extractDeclaration.config, { keepDefaultedPropertiesOptional: true }>;
export type ExtractInput = FromSchema<typeof extractDeclaration.input>;
export type ExtractOutput = FromSchema<typeof extractDeclaration.output>;
