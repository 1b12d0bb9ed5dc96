import type { GraphError, WorkflowGraph } from '../api/types.ts';

/**
 * Server errors name a node by id, or a field by a pointer into the request
 * (`/graph/nodes/2/config/timeoutMinutes`): both become a node id and a pointer into its config.
 */
export function normalizeServerErrors(errors: readonly unknown[], graph: WorkflowGraph): GraphError[] {
  return errors.map((raw): GraphError => {
    const error = raw as Partial<GraphError>;
    const match = /^(?:\/graph)?\/nodes\/(\d+)(?:\/config(\/.*)?)?$/.exec(error.pointer ?? '');
    const nodeId = error.nodeId ?? (match ? graph.nodes[Number(match[1])]?.id : undefined);
    const pointer = match ? match[2] : error.pointer;
    return {
      code: error.code ?? (match?.[2] !== undefined ? 'invalid-config' : 'invalid-graph'),
      message: error.message ?? 'invalid',
      ...(error.edgeId ? { edgeId: error.edgeId } : {}),
      ...(error.port ? { port: error.port } : {}),
      ...(nodeId ? { nodeId } : {}),
      ...(pointer ? { pointer } : {}),
    };
  });
}

/** What a person reads: the node id prefix is dropped when the message sits on that node already. */
export function messageOnNode(error: GraphError): string {
  return error.message.replace(/^Node "[^"]+"(?: \([^)]*\))?:? ?/, '');
}
