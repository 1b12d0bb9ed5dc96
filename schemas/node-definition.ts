import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

export const nodeCategories = [
  'trigger',
  'input',
  'memory',
  'ai',
  'human',
  'finance',
  'logic',
  'output',
  'maintenance',
] as const;

/** An object schema whose properties are ports: the node's config, inputs or outputs. */
const portSchema = {
  type: 'object',
  required: ['type', 'properties'],
  properties: {
    type: { const: 'object' },
    properties: { type: 'object' },
    required: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * What a node type declares, built-in or plugin. Plugins are validated against this
 * before they are registered; a definition that fails is refused with the reasons.
 */
export const nodeDefinitionSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/node-definition.json`,
  title: 'NodeDefinition',
  type: 'object',
  required: [
    'type',
    'version',
    'title',
    'description',
    'category',
    'config',
    'input',
    'output',
    'execution',
    'sideEffects',
  ],
  properties: {
    type: {
      type: 'string',
      pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*$',
      maxLength: 100,
      description: 'Stable name: `extract`, or `acme.crm-sync` for a plugin.',
    },
    version: { type: 'integer', minimum: 1, description: 'Major version: a breaking change adds v2 beside v1.' },
    title: { type: 'string', minLength: 1, maxLength: 80 },
    description: { type: 'string', minLength: 1, maxLength: 1000 },
    category: { enum: nodeCategories },
    config: portSchema,
    input: portSchema,
    output: portSchema,
    execution: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'timeoutMs'],
      properties: {
        kind: {
          enum: ['trigger', 'activity', 'local', 'human', 'agent'],
          description:
            'local = cheap and pure, run as a Temporal local activity; human = waits for a decision; agent = a model-and-tools loop the interpreter runs step by step.',
        },
        timeoutMs: { type: 'integer', minimum: 1, maximum: 31_536_000_000 },
        heartbeatMs: { type: 'integer', minimum: 1000 },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maximumAttempts: { type: 'integer', minimum: 1, maximum: 100 },
            initialIntervalMs: { type: 'integer', minimum: 1 },
            backoffCoefficient: { type: 'number', minimum: 1 },
            maximumIntervalMs: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    tier: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cost: { enum: ['free', 'low', 'high'] },
        latency: { enum: ['instant', 'fast', 'slow'] },
      },
    },
    continueOnFailure: { type: 'boolean' },
    sideEffects: {
      type: 'boolean',
      description: 'Writes outside the run; skipped (recorded output reused) in canary runs.',
    },
    editor: {
      type: 'object',
      additionalProperties: false,
      properties: {
        color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
        icon: { type: 'string', maxLength: 40 },
        summaryField: { type: 'string', description: 'Config field shown on the node face.' },
      },
    },
    examples: {
      type: 'array',
      items: {
        type: 'object',
        required: ['config', 'input'],
        properties: { title: { type: 'string' }, config: { type: 'object' }, input: { type: 'object' } },
      },
    },
  },
} as const;

export type NodeDefinitionData = FromSchema<typeof nodeDefinitionSchema>;
export type NodeCategory = (typeof nodeCategories)[number];
