import type { FromSchema } from 'json-schema-to-ts';
import { memoryKinds } from '../../schemas/memory-record.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

const rule = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['ttlDays'],
      properties: { ttlDays: { type: 'integer', minimum: 0, maximum: 36_500, title: 'Keep for (days)' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['keepForever'],
      properties: { keepForever: { const: true, title: 'Keep forever' } },
    },
  ],
} as const;

/** The retention policy (memory/types.ts RetentionPolicy) as a schema: one rule per record kind. */
export const retentionPolicySchema = {
  type: 'object',
  additionalProperties: false,
  title: 'Retention per kind',
  description: 'A kind not listed is kept. `{ "ttlDays": 90 }` deletes records older than 90 days.',
  properties: Object.fromEntries(memoryKinds.map((kind) => [kind, rule])) as Record<
    (typeof memoryKinds)[number],
    typeof rule
  >,
} as const;

/**
 * The scheduled upkeep DESIGN.md asks for: nothing past retention stays in memory, and records
 * embedded by an older model are embedded again with the current one (search compares vectors
 * of one model only).
 */
export const memoryMaintenanceDeclaration = {
  type: 'memory-maintenance',
  version: 1,
  title: 'Memory maintenance',
  description:
    'Deletes memory records past their kind’s retention and re-embeds records whose embedding model is not the ' +
    'current one, in batches.',
  category: 'maintenance',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['retention'],
    properties: {
      retention: retentionPolicySchema,
      batchSize: { type: 'integer', minimum: 1, maximum: 1000, default: 100, title: 'Records per re-embed batch' },
      maxBatches: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 20,
        title: 'Most batches per run',
        description: 'The rest waits for the next run, so one run stays short.',
      },
    },
  },
  input: {
    type: 'object',
    properties: { data: { type: 'object', title: 'Run data', description: 'Unused; wires the trigger to this node.' } },
  },
  output: {
    type: 'object',
    required: ['pruned', 'reembedded', 'remainingStale', 'embeddingModel'],
    properties: {
      pruned: { type: 'integer', minimum: 0, title: 'Records deleted' },
      reembedded: { type: 'integer', minimum: 0, title: 'Records re-embedded' },
      remainingStale: {
        type: 'boolean',
        title: 'More to re-embed',
        description: 'True when maxBatches ran out before every stale record was done.',
      },
      embeddingModel: { type: 'string', title: 'Current embedding model' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 30 * 60_000,
    heartbeatMs: 60_000,
    retry: { maximumAttempts: 3, initialIntervalMs: 5_000, backoffCoefficient: 2 },
  },
  tier: { cost: 'free', latency: 'slow' },
  sideEffects: true,
  editor: { color: '#64748b', icon: 'broom', summaryField: 'batchSize' },
  examples: [
    {
      title: 'Messages for a year, drafts for 90 days',
      config: { retention: { message: { ttlDays: 365 }, draft: { ttlDays: 90 }, decision: { keepForever: true } } },
      input: {},
    },
  ],
} as const satisfies NodeDeclaration;

export type MemoryMaintenanceConfig = FromSchema<
  typeof memoryMaintenanceDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type MemoryMaintenanceInput = FromSchema<typeof memoryMaintenanceDeclaration.input>;
export type MemoryMaintenanceOutput = FromSchema<typeof memoryMaintenanceDeclaration.output>;
