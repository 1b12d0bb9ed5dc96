// The graph model as drawn, independent of React Flow: helpers over WorkflowGraph.
import type { GraphEdge, GraphNode, WorkflowGraph } from '../schemas/workflow-graph.ts';
import type { NodeDeclaration, PortsSchema } from '../nodes/sdk/define-node.ts';

export type { GraphEdge, GraphNode, WorkflowGraph };

/** What validation and compilation need to know about node types; the registry provides it. */
export interface NodeCatalog {
  get(type: string, version: number): NodeDeclaration | undefined;
}

export interface Port {
  name: string;
  schema: boolean | Record<string, unknown>;
  required: boolean;
  /** An array-typed input port gathers every active source (fan-in). */
  collect: boolean;
}

export function portsOf(schema: PortsSchema): Port[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, portSchema]) => ({
    name,
    schema: portSchema as Record<string, unknown>,
    required: required.has(name),
    collect: (portSchema as { type?: unknown }).type === 'array',
  }));
}

export function inputPorts(declaration: NodeDeclaration): Port[] {
  return portsOf(declaration.input);
}

export function outputPorts(declaration: NodeDeclaration): Port[] {
  return portsOf(declaration.output);
}

export function incoming(graph: WorkflowGraph, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.target === nodeId);
}

export function outgoing(graph: WorkflowGraph, nodeId: string): GraphEdge[] {
  return graph.edges.filter((edge) => edge.source === nodeId);
}

/** Node ids reachable from `start` along edges (start included). */
export function reachableFrom(graph: WorkflowGraph, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const edge of outgoing(graph, current)) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return seen;
}

/**
 * Kahn's algorithm with ties broken by node id, so the same graph always gives the same
 * order (and the same plan hash). Returns the nodes left over when there is a cycle.
 */
export function topologicalOrder(graph: WorkflowGraph): { order: string[]; cyclic: string[] } {
  const indegree = new Map(graph.nodes.map((node) => [node.id, 0]));
  for (const edge of graph.edges) {
    if (indegree.has(edge.target) && indegree.has(edge.source))
      indegree.set(edge.target, (indegree.get(edge.target) ?? 0) + 1);
  }
  const ready = [...indegree]
    .filter(([, degree]) => degree === 0)
    .map(([id]) => id)
    .sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const edge of outgoing(graph, id)) {
      if (!indegree.has(edge.target)) continue;
      const left = (indegree.get(edge.target) ?? 0) - 1;
      indegree.set(edge.target, left);
      if (left === 0) {
        ready.push(edge.target);
        ready.sort();
      }
    }
  }
  const cyclic = graph.nodes.map((node) => node.id).filter((id) => !order.includes(id));
  return { order, cyclic };
}

/** Every node downstream of `start` (start included): what a re-run from `start` executes again. */
export function downstreamOf(graph: Pick<WorkflowGraph, 'edges'>, start: string): Set<string> {
  return reachableFrom(graph as WorkflowGraph, start);
}
