import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, idString, SCHEMA_BASE, timestamp } from '../../schemas/common.ts';

/**
 * What a canary tries: a published workflow version, a change to one node's config (a model
 * policy, a confidence threshold) on top of a published version, a draft rule set, or an
 * extraction model retrained from corrections.
 */
export const canaryCandidateSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'workflowId', 'version'],
      properties: {
        kind: { const: 'version' },
        workflowId: idString,
        version: { type: 'integer', minimum: 1 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'workflowId', 'nodeId', 'config'],
      properties: {
        kind: { const: 'node-config' },
        workflowId: idString,
        baseVersion: { type: 'integer', minimum: 1, description: 'Default: the latest published version.' },
        nodeId: idString,
        config: { type: 'object', description: 'A JSON merge patch (RFC 7396) of the node config.' },
        note: { type: 'string', maxLength: 2000 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'ruleSetVersion'],
      properties: { kind: { const: 'rule-set' }, ruleSetVersion: { type: 'integer', minimum: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'modelId'],
      properties: {
        kind: { const: 'extraction-model' },
        modelId: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: 'A retrained model (extraction_models).',
        },
        workflowId: { ...idString, description: 'Only past runs of this workflow (default: every workflow).' },
      },
    },
  ],
} as const;

/** Which part of the ledger to replay: past runs of a workflow (or routed events) by time and client. */
export const canarySliceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: timestamp,
    to: timestamp,
    clientId: idString,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export const canaryRequestSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/control/canary-request.json`,
  title: 'CanaryRequest',
  type: 'object',
  additionalProperties: false,
  required: ['candidate', 'slice'],
  properties: {
    candidate: canaryCandidateSchema,
    slice: canarySliceSchema,
    createdBy: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export type CanaryCandidate = FromSchema<typeof canaryCandidateSchema>;
/** The candidates that are a workflow's plan: replayed as canary runs. */
export type WorkflowCandidate = Extract<CanaryCandidate, { kind: 'version' | 'node-config' }>;
export type CanarySlice = FromSchema<typeof canarySliceSchema, { keepDefaultedPropertiesOptional: true }>;
export type CanaryRequest = FromSchema<typeof canaryRequestSchema, { keepDefaultedPropertiesOptional: true }>;
