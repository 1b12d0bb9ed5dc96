// What is wrong with a workflow graph, as validate.ts and expression-check.ts both report it.

export type GraphErrorCode =
  | 'invalid-graph'
  | 'duplicate-node-id'
  | 'unknown-node-type'
  | 'invalid-config'
  | 'invalid-expression'
  | 'unknown-node'
  | 'unknown-port'
  | 'incompatible-edge'
  | 'duplicate-edge'
  | 'cycle'
  | 'no-trigger'
  | 'multiple-triggers'
  | 'unreachable'
  | 'missing-input';

export interface GraphError {
  code: GraphErrorCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  port?: string;
  /** JSON pointer into the node's config, for config errors. */
  pointer?: string;
}
