import type { FastifyRequest } from 'fastify';
import { workflowGraphSchema } from '../../schemas/workflow-graph.ts';
import { HttpError } from './http-errors.ts';

// A workflow has at most 2,000 nodes and 10,000 edges (schemas/workflow-graph.ts). A graph past
// that must hear so, not "body too large": the routes that take a graph read bodies up to 16 MB,
// and the counts are checked before the schema walks every node.

export const GRAPH_BODY_LIMIT = 16 * 1024 * 1024;

const limits = {
  nodes: workflowGraphSchema.properties.nodes.maxItems,
  edges: workflowGraphSchema.properties.edges.maxItems,
} as const;

/** Refuses (413, naming `/graph/nodes` or `/graph/edges`) a body whose `graph` has more nodes or edges than allowed. */
export function checkGraphSize(request: FastifyRequest): void {
  const graph = (request.body as { graph?: unknown } | undefined)?.graph;
  if (typeof graph !== 'object' || graph === null) return;
  for (const part of ['nodes', 'edges'] as const) {
    const items = (graph as Record<string, unknown>)[part];
    if (!Array.isArray(items) || items.length <= limits[part]) continue;
    const message =
      `a workflow has at most ${limits[part].toLocaleString('en')} ${part}; ` +
      `this graph has ${items.length.toLocaleString('en')}`;
    throw new HttpError(413, message, [{ pointer: `/graph/${part}`, message }]);
  }
}
