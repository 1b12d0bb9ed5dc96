import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { JSONATA_MEDIA_TYPE } from '../sdk/expressions/syntax.ts';

export const conditionDeclaration = {
  type: 'condition',
  version: 1,
  title: 'Condition',
  description: 'Sends the value down the "true" or the "false" branch, by a JSONata test.',
  category: 'logic',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['test'],
    properties: {
      test: {
        type: 'string',
        minLength: 1,
        maxLength: 10_000,
        contentMediaType: JSONATA_MEDIA_TYPE,
        title: 'Test (JSONata)',
        description: 'Truthy sends the value to "true", e.g. `decision = "approved"`.',
      },
    },
  },
  input: {
    type: 'object',
    required: ['value'],
    properties: { value: { title: 'Value' } },
  },
  output: {
    type: 'object',
    properties: {
      true: { title: 'When true' },
      false: { title: 'When false' },
    },
  },
  execution: { kind: 'local', timeoutMs: 5_000, retry: { maximumAttempts: 1 } },
  tier: { cost: 'free', latency: 'instant' },
  sideEffects: false,
  editor: { color: '#6b7280', icon: 'split', summaryField: 'test' },
  examples: [
    { title: 'Approved?', config: { test: 'decision = "approved"' }, input: { value: { decision: 'approved' } } },
  ],
} as const satisfies NodeDeclaration;

export type ConditionConfig = FromSchema<typeof conditionDeclaration.config>;
export type ConditionInput = FromSchema<typeof conditionDeclaration.input>;
export type ConditionOutput = FromSchema<typeof conditionDeclaration.output>;
