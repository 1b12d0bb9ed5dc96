import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from '../../schemas/common.ts';

const clock = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

/**
 * When a workflow's runs start: foreground runs start at once (small models, tight latency);
 * background runs wait for their window (batch, larger models allowed), e.g. overnight drafts.
 */
export const runPolicySchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/control/run-policy.json`,
  title: 'RunPolicy',
  type: 'object',
  additionalProperties: false,
  required: ['mode'],
  properties: {
    mode: { enum: ['foreground', 'background'] },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end'],
      description: 'Background only: when runs may start, in UTC. An end before the start spans midnight.',
      properties: {
        start: { ...clock, title: 'Opens (HH:MM UTC)' },
        end: { ...clock, title: 'Closes (HH:MM UTC)' },
        days: {
          type: 'array',
          items: { type: 'integer', minimum: 0, maximum: 6 },
          uniqueItems: true,
          minItems: 1,
          description: 'Days the window opens on (0 = Sunday); absent: every day.',
        },
      },
    },
    onOverBudget: {
      enum: ['start', 'wait'],
      description: 'wait: when an agent the workflow uses is over its monthly budget, start next month.',
    },
  },
} as const;

export type RunPolicy = FromSchema<typeof runPolicySchema>;
export type RunWindow = NonNullable<RunPolicy['window']>;
