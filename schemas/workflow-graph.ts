import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, SCHEMA_BASE } from './common.ts';

const localId = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' } as const;

/** A workflow as drawn: nodes pinned to `{type, version}`, edges between named ports. No React Flow types. */
export const workflowGraphSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/workflow-graph.json`,
  title: 'WorkflowGraph',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'nodes', 'edges'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    nodes: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'version', 'config', 'position'],
        properties: {
          id: localId,
          type: { type: 'string', minLength: 1, maxLength: 100 },
          version: { type: 'integer', minimum: 1 },
          label: { type: 'string', maxLength: 200 },
          config: { type: 'object' },
          position: {
            type: 'object',
            additionalProperties: false,
            required: ['x', 'y'],
            properties: { x: { type: 'number' }, y: { type: 'number' } },
          },
        },
      },
    },
    edges: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'sourcePort', 'target', 'targetPort'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 200 },
          source: localId,
          sourcePort: { type: 'string', minLength: 1, maxLength: 100 },
          target: localId,
          targetPort: { type: 'string', minLength: 1, maxLength: 100 },
        },
      },
    },
  },
} as const;

export type WorkflowGraph = FromSchema<typeof workflowGraphSchema>;
export type GraphNode = WorkflowGraph['nodes'][number];
export type GraphEdge = WorkflowGraph['edges'][number];
