import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { eventPort } from '../sdk/ports.ts';

/** Where a run starts. Its outputs are the run's input: an event, and/or free data. Exactly one per workflow. */
export const triggerDeclaration = {
  type: 'trigger',
  version: 1,
  title: 'Trigger',
  description: 'Starts the workflow: manually, from a signed webhook or email, or on a schedule.',
  category: 'trigger',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { enum: ['manual', 'webhook', 'email', 'document', 'schedule'], title: 'Started by', default: 'manual' },
      source: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
        title: 'Webhook source',
        description: 'Name of the signed webhook source (for webhook, email and document triggers).',
      },
      schedule: {
        type: 'string',
        title: 'Schedule (cron)',
        description: 'Cron expression in UTC, e.g. `0 8 * * MON` (schedule triggers).',
      },
      data: {
        type: 'object',
        title: 'Data for scheduled runs',
        description: 'Passed as `data` on each scheduled run.',
      },
    },
  },
  input: { type: 'object', properties: {} },
  output: {
    type: 'object',
    properties: {
      event: eventPort,
      data: { type: 'object', title: 'Data', additionalProperties: true },
    },
  },
  execution: { kind: 'trigger', timeoutMs: 1_000 },
  tier: { cost: 'free', latency: 'instant' },
  sideEffects: false,
  editor: { color: '#2f6f5e', icon: 'play', summaryField: 'kind' },
  examples: [{ title: 'Manual', config: { kind: 'manual' }, input: {} }],
} as const satisfies NodeDeclaration;

export type TriggerConfig = FromSchema<typeof triggerDeclaration.config>;
export type TriggerOutput = FromSchema<typeof triggerDeclaration.output>;
