// Between the stored WorkflowGraph (no React Flow types) and the canvas's nodes and edges.
import type { Edge, Node } from '@xyflow/react';
import type { WorkflowGraph } from '../api/types.ts';

export interface WorkflowNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  label?: string;
  config: Record<string, unknown>;
}

export type WorkflowNode = Node<WorkflowNodeData, 'workflow'>;
export type WorkflowEdge = Edge;

export function edgeId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `${source}.${sourcePort}->${target}.${targetPort}`;
}

export function graphToFlow(graph: WorkflowGraph): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const nodes = graph.nodes.map((node): WorkflowNode => ({
    id: node.id,
    type: 'workflow',
    position: { x: node.position.x, y: node.position.y },
    data: {
      type: node.type,
      version: node.version,
      config: node.config ?? {},
      ...(node.label ? { label: node.label } : {}),
    },
  }));
  const edges = graph.edges.map((edge): WorkflowEdge => ({
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourcePort,
    target: edge.target,
    targetHandle: edge.targetPort,
  }));
  return { nodes, edges };
}

export function flowToGraph(
  meta: { name: string; description: string },
  nodes: readonly WorkflowNode[],
  edges: readonly WorkflowEdge[],
): WorkflowGraph {
  return {
    name: meta.name,
    ...(meta.description ? { description: meta.description } : {}),
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.type,
      version: node.data.version,
      ...(node.data.label ? { label: node.data.label } : {}),
      config: node.data.config,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    })),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourcePort: edge.sourceHandle ?? '',
      target: edge.target,
      targetPort: edge.targetHandle ?? '',
    })),
  };
}

/** A node id the graph schema accepts (`^[A-Za-z][A-Za-z0-9_-]{0,63}$`) and that is not taken. */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '') || 'node').slice(0, 50);
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}
