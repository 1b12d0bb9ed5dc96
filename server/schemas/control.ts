// Request shapes of the control-plane routes. Bodies that are control-plane contracts (rule set,
// run policy, canary request) are those schemas themselves, embedded without their `$id`.
import { agentSchema, canaryRequestSchema, ruleSetSchema, runPolicySchema } from '../../control/index.ts';
import { canarySliceSchema } from '../../control/schemas/canary.ts';
import { embed } from '../../schemas/common.ts';
import { idString, safeId } from './common.ts';

const timestamp = { type: 'string', format: 'date-time' } as const;
const by = { type: 'string', minLength: 1, maxLength: 200, description: 'Who did it (default: operator).' } as const;
const limit = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;

const ruleSet = embed(ruleSetSchema);

/** A rule set as stored (rules, default, note) plus who saves it. */
export const saveRuleSetBody = {
  ...ruleSet,
  properties: { ...ruleSet.properties, createdBy: by },
} as const;

export const ruleSetParams = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version: { type: 'integer', minimum: 1 } },
} as const;

export const listRuleSetsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit },
} as const;

export const listRoutingsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: timestamp, to: timestamp, clientId: idString, limit: { ...limit, maximum: 2000, default: 200 } },
} as const;

export const listSuggestionsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { enum: ['open', 'accepted', 'dismissed'] } },
} as const;

/** `{ by? }`: accept, dismiss, promote. */
export const byBody = {
  type: 'object',
  additionalProperties: false,
  properties: { by },
} as const;

export const agentParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: agentSchema.properties.id },
} as const;

export const updateAgentBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    budget: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: agentSchema.properties.budget.properties,
    },
    enabled: agentSchema.properties.enabled,
    role: agentSchema.properties.role,
  },
} as const;

export const runPolicyBody = embed(runPolicySchema);

export const canaryBody = embed(canaryRequestSchema);

export const listCanariesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { workflowId: idString, limit },
} as const;

export const nodeMetricsQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['workflowId'],
  properties: {
    workflowId: idString,
    from: timestamp,
    to: timestamp,
    clientId: idString,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 },
  },
} as const;

export const proposeBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    streak: { type: 'integer', minimum: 1, maximum: 100, description: 'Unchanged approvals in a row (default 3).' },
    maxFalsePositiveRate: { type: 'number', minimum: 0, maximum: 1, description: 'Default 0.2.' },
    minReviewed: { type: 'integer', minimum: 1, maximum: 1000, description: 'Default 3.' },
    slice: canarySliceSchema,
  },
} as const;

export const listProposalsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { workflowId: idString, status: { enum: ['open', 'canaried', 'promoted', 'dismissed'] } },
} as const;

export const proposalCanaryBody = {
  type: 'object',
  additionalProperties: false,
  properties: { slice: canarySliceSchema, createdBy: by },
} as const;

export const controlIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: safeId },
} as const;

export const retrainBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by,
    epochs: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      description: 'At most this many gradient-descent passes (default 200).',
    },
    l2: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: "Pull toward the shipped model's weights (default 0.2).",
    },
    l2New: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'Pull toward zero of new features (default 0.01).',
    },
    canary: { type: 'boolean', default: true, description: 'Run the canary against past runs now (default true).' },
    workflowId: { ...idString, description: "Canary only this workflow's past runs (default: every workflow)." },
    slice: canarySliceSchema,
  },
} as const;

export const listModelsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit },
} as const;

export const modelParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
