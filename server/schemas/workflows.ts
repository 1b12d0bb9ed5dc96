import { idString, WORKFLOW_GRAPH_REF } from './common.ts';

const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const description = { type: 'string', maxLength: 2000 } as const;

export const createWorkflowBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'graph'],
  properties: { name, description, graph: WORKFLOW_GRAPH_REF },
} as const;

export const updateWorkflowBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name, description, graph: WORKFLOW_GRAPH_REF },
} as const;

/** The graph may be anything here: the validator's answer is the point. */
export const validateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['graph'],
  properties: { graph: { type: 'object' } },
} as const;

export const publishBody = {
  type: 'object',
  additionalProperties: false,
  properties: { publishedBy: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const versionParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version'],
  properties: { id: idString, version: { type: 'integer', minimum: 1 } },
} as const;

export const exportDocument = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'formatVersion', 'name', 'graph'],
  properties: {
    format: { const: 'trellis-workflow' },
    formatVersion: { const: 1 },
    name,
    description,
    graph: WORKFLOW_GRAPH_REF,
    contentHash: {
      type: 'string',
      pattern: '^sha256:[0-9a-f]{64}$',
      description: 'sha256 of the canonical JSON (RFC 8785) of the document without this field, set by export.',
    },
  },
} as const;

export const importQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    acceptModified: {
      type: 'boolean',
      default: false,
      description: 'Import a file whose content no longer matches its contentHash (changed since export).',
    },
  },
} as const;

export const startRunBody = {
  type: 'object',
  additionalProperties: false,
  required: ['input'],
  properties: {
    input: {
      type: 'object',
      additionalProperties: false,
      properties: {
        event: { type: 'object', description: 'An Event for the trigger’s `event` output.' },
        data: { type: 'object', description: 'Free data for the trigger’s `data` output.' },
      },
    },
    version: { type: 'integer', minimum: 1 },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:@/-]+$' },
  },
} as const;

export const listWorkflowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { includeArchived: { type: 'boolean', default: false } },
} as const;
