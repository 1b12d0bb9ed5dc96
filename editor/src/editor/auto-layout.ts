// Left-to-right layered layout by elkjs: triggers on the left, each step to the right of its inputs.
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { XYPosition } from '@xyflow/react';
import type { WorkflowEdge, WorkflowNode } from './flow-graph.ts';

// elkjs is large: loaded the first time someone tidies a graph.
let elk: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK()));

const DEFAULT_SIZE = { width: 220, height: 120 };

export async function layoutPositions(
  nodes: readonly WorkflowNode[],
  edges: readonly WorkflowEdge[],
): Promise<Map<string, XYPosition>> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((node) => ({
      id: node.id,
      width: node.measured?.width ?? DEFAULT_SIZE.width,
      height: node.measured?.height ?? DEFAULT_SIZE.height,
    })),
    edges: edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  };
  const laid = await (await loadElk()).layout(graph);
  const positions = new Map<string, XYPosition>();
  for (const child of laid.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return positions;
}
