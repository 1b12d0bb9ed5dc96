import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from '../../schemas/common.ts';

export const agentTiers = ['none', 'cached', 'local', 'provider', 'human'] as const;

/** Over budget: a cheaper tier, a human, or (for runs not yet started) the next window. */
export const overBudgetActions = ['degrade', 'human', 'wait'] as const;

/**
 * An automated actor: a node type bound to a model tier, with a role, what it serves, and budgets.
 * Seeded from the built-in nodes (control/agents/seed.ts); the operator may edit budgets.
 */
export const agentSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/control/agent.json`,
  title: 'Agent',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'nodeType', 'nodeVersion', 'tier', 'role', 'capabilities', 'budget', 'enabled'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*@[0-9]+$', description: '<nodeType>@<version>' },
    nodeType: { type: 'string', minLength: 1, maxLength: 100 },
    nodeVersion: { type: 'integer', minimum: 1 },
    tier: {
      enum: agentTiers,
      description: 'The most expensive tier it may use; none for nodes that call no model.',
    },
    role: { type: 'string', minLength: 1, maxLength: 500, description: 'What it does, in a sentence.' },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      required: ['intents', 'nodeTypes'],
      properties: {
        intents: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        nodeTypes: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
    },
    budget: {
      type: 'object',
      additionalProperties: false,
      required: ['perActionUsd', 'perMonthUsd', 'latencyMs', 'onOverBudget'],
      properties: {
        perActionUsd: { type: 'number', minimum: 0, description: 'Most one call may cost.' },
        perMonthUsd: { type: 'number', minimum: 0, description: 'Most it may spend in a calendar month (UTC).' },
        latencyMs: { type: 'integer', minimum: 1, description: 'Longest one call may take.' },
        onOverBudget: { enum: overBudgetActions },
      },
    },
    enabled: { type: 'boolean' },
    origin: { type: 'string' },
  },
} as const;

export type Agent = FromSchema<typeof agentSchema>;
export type AgentTier = (typeof agentTiers)[number];
export type AgentBudget = Agent['budget'];
