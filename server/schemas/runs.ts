import { safeId } from './common.ts';
import { runStates } from '../lib/runs.ts';

export const runParams = {
  type: 'object',
  additionalProperties: false,
  required: ['runId'],
  properties: { runId: safeId },
} as const;

export const listRunsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workflowId: safeId,
    status: { enum: runStates },
    includeCanaries: { type: 'boolean', default: false, description: 'Also list canary runs (control plane).' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    pageToken: { type: 'string', maxLength: 4000, pattern: '^[A-Za-z0-9_-]*$' },
  },
} as const;

export const rerunBody = {
  type: 'object',
  additionalProperties: false,
  required: ['fromNode'],
  properties: {
    fromNode: { type: 'string', minLength: 1, maxLength: 64 },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:@/-]+$' },
  },
} as const;

export const diffQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['against'],
  properties: { against: safeId },
} as const;
