// Request shapes shared by several routes. Contracts (WorkflowGraph, Event, ReviewTask…) are
// referenced by `$id` from schemas/, never copied.
import { SCHEMA_BASE } from '../../schemas/common.ts';

export const contractRef = (name: string) => ({ $ref: `${SCHEMA_BASE}/${name}.json` }) as const;

export const WORKFLOW_GRAPH_REF = { $ref: `${SCHEMA_BASE}/workflow-graph.json` } as const;
export const REVIEW_DECISION_REF = { $ref: `${SCHEMA_BASE}/review-decision.json` } as const;

export const idString = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** A name safe inside a Temporal visibility query and a URL: what workflow ids and keys look like. */
export const safeId = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:@/-]+$' } as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: idString },
} as const;

export const limitQuery = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;

/** What every error reply looks like (docs/API.md). */
export const errorReply = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'errors'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: true,
      },
    },
  },
} as const;

export const errorReplies = { 400: errorReply, 401: errorReply, 404: errorReply } as const;
