import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

const retrySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maximumAttempts: { type: 'integer', minimum: 1 },
    initialIntervalMs: { type: 'integer', minimum: 1 },
    backoffCoefficient: { type: 'number', minimum: 1 },
    maximumIntervalMs: { type: 'integer', minimum: 1 },
  },
} as const;

/**
 * A compiled workflow: what the interpreter runs. Serialisable and content-hashed; the hash
 * is the workflow version a run records. Built by workflows/compile.ts when publishing.
 */
export const executionPlanSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/execution-plan.json`,
  title: 'ExecutionPlan',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'hash', 'name', 'trigger', 'nodes', 'order'],
  properties: {
    format: { const: 1 },
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    name: { type: 'string' },
    trigger: { type: 'string', description: 'Id of the trigger node; its output is the run input.' },
    order: { type: 'array', items: { type: 'string' }, description: 'A topological order of node ids.' },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'type',
          'version',
          'kind',
          'config',
          'inputs',
          'dependsOn',
          'timeoutMs',
          'continueOnFailure',
          'sideEffects',
        ],
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          version: { type: 'integer' },
          label: { type: 'string' },
          kind: { enum: ['trigger', 'activity', 'local', 'human', 'agent'] },
          config: { type: 'object' },
          inputs: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['port', 'required', 'collect', 'sources'],
              properties: {
                port: { type: 'string' },
                required: { type: 'boolean' },
                collect: { type: 'boolean', description: 'Array port: gathers every active source (fan-in).' },
                sources: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['node', 'port'],
                    properties: {
                      node: { type: 'string' },
                      port: { type: 'string' },
                      as: { const: 'item', description: 'Collected as one item of an array port (fan-in).' },
                    },
                  },
                },
              },
            },
          },
          dependsOn: { type: 'array', items: { type: 'string' } },
          timeoutMs: { type: 'integer' },
          heartbeatMs: { type: 'integer' },
          retry: retrySchema,
          continueOnFailure: { type: 'boolean' },
          sideEffects: { type: 'boolean' },
          compensable: { type: 'boolean', description: 'Has a compensation activity (saga) for when the run fails.' },
        },
      },
    },
  },
} as const;

export type ExecutionPlan = FromSchema<typeof executionPlanSchema>;
export type PlanNode = ExecutionPlan['nodes'][number];
