import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

export const computeTiers = ['cached', 'local', 'provider', 'human'] as const;

/** Budgets a model-backed node works within; the router picks the cheapest tier that meets them. */
export const modelPolicySchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/model-policy.json`,
  title: 'ModelPolicy',
  type: 'object',
  additionalProperties: false,
  required: ['maxCostUsd', 'maxLatencyMs', 'minConfidence'],
  properties: {
    maxCostUsd: { type: 'number', minimum: 0, description: 'Most one call may cost, in US dollars.' },
    maxLatencyMs: { type: 'integer', minimum: 1, description: 'Longest one call may take.' },
    minConfidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'Below this, the result goes to a human instead of downstream.',
    },
    tiers: {
      type: 'array',
      items: { enum: ['cached', 'local', 'provider'] },
      uniqueItems: true,
      description: 'Tiers allowed, tried in order: cached, local, provider.',
    },
  },
} as const;

export type ModelPolicy = FromSchema<typeof modelPolicySchema>;
export type ComputeTier = (typeof computeTiers)[number];
