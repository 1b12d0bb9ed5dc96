// Expressions in node config are parsed when the graph is checked, so one that cannot parse is
// refused at publish (and shown in the editor) instead of failing every run. Browser-safe.
import type { NodeDeclaration } from '../nodes/sdk/define-node.ts';
import { expressionError, JSONATA_MEDIA_TYPE, quoteExpression } from '../nodes/sdk/expressions/syntax.ts';
import type { WorkflowGraph } from '../schemas/workflow-graph.ts';
import type { GraphError } from './graph-error.ts';

type GraphNode = WorkflowGraph['nodes'][number];

/** The config fields the declaration marks as JSONata. */
const expressionFields = (declaration: NodeDeclaration) =>
  Object.entries(declaration.config.properties)
    .filter(([, schema]) => (schema as { contentMediaType?: string }).contentMediaType === JSONATA_MEDIA_TYPE)
    .map(([name]) => name);

export function expressionErrors(node: GraphNode, declaration: NodeDeclaration): GraphError[] {
  const config = (node.config ?? {}) as Record<string, unknown>;
  return expressionFields(declaration).flatMap((field): GraphError[] => {
    const expression = config[field];
    if (typeof expression !== 'string') return [];
    const problem = expressionError(expression);
    if (!problem) return [];
    return [
      {
        code: 'invalid-expression',
        nodeId: node.id,
        pointer: `/${field}`,
        message: `Node "${node.id}" config /${field}: expression ${quoteExpression(expression)} does not parse: ${problem}`,
      },
    ];
  });
}
