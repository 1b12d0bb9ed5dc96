import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';
import { JSONATA_MEDIA_TYPE } from '../sdk/expressions/syntax.ts';

export const transformDeclaration = {
  type: 'transform',
  version: 1,
  title: 'Transform',
  description: 'Reshapes data with a JSONata expression: pick fields, rename, compute totals.',
  category: 'logic',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['expression'],
    properties: {
      expression: {
        type: 'string',
        minLength: 1,
        maxLength: 10_000,
        contentMediaType: JSONATA_MEDIA_TYPE,
        title: 'JSONata expression',
        description: 'Evaluated against the input value, e.g. `{ "total": $sum(items.amount) }`.',
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
    required: ['value'],
    properties: { value: { title: 'Result' } },
  },
  execution: { kind: 'local', timeoutMs: 5_000, retry: { maximumAttempts: 1 } },
  tier: { cost: 'free', latency: 'instant' },
  sideEffects: false,
  editor: { color: '#6b7280', icon: 'shuffle', summaryField: 'expression' },
  examples: [
    {
      title: 'Sum amounts',
      config: { expression: '$sum(items.amount)' },
      input: { value: { items: [{ amount: 2 }] } },
    },
  ],
} as const satisfies NodeDeclaration;

export type TransformConfig = FromSchema<typeof transformDeclaration.config>;
export type TransformInput = FromSchema<typeof transformDeclaration.input>;
export type TransformOutput = FromSchema<typeof transformDeclaration.output>;
