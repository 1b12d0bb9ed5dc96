import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, embed, SCHEMA_BASE } from '../../schemas/common.ts';
import { templateNeedsSchema } from '../../schemas/template-needs.ts';
import { workflowGraphSchema } from '../../schemas/workflow-graph.ts';

/**
 * A gallery template: a versioned workflow graph whose node configs may hold
 * `{ "$param": "<name>" }` placeholders, and the JSON Schema (draft 2020-12) of those parameters.
 */
export const templateSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/workflow-template.json`,
  title: 'WorkflowTemplate',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'title', 'description', 'nodes', 'parameters', 'graph'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    version: { type: 'integer', minimum: 1, description: 'Raised whenever the graph or the parameters change.' },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    nodes: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'The node types the graph uses, sorted.',
    },
    parameters: {
      type: 'object',
      required: ['type', 'properties'],
      properties: { type: { const: 'object' }, properties: { type: 'object' } },
      description: 'JSON Schema (draft 2020-12) of the parameters `instantiate` takes.',
    },
    needs: { ...templateNeedsSchema, description: 'What the template needs besides its nodes: mail accounts.' },
    graph: embed(workflowGraphSchema),
  },
} as const;

export type Template = FromSchema<typeof templateSchema>;
