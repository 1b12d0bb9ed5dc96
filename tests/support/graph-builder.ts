import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';

type NodeSpec = [id: string, type: string, config?: Record<string, unknown>, version?: number];

/** Compact graphs for tests: edges written as "source.port -> target.port". */
export function graph(name: string, nodes: NodeSpec[], edges: string[]): WorkflowGraph {
  return {
    name,
    nodes: nodes.map(([id, type, config = {}, version = 1], index) => ({
      id,
      type,
      version,
      config,
      position: { x: index * 220, y: 0 },
    })),
    edges: edges.map((text, index) => {
      const match = /^\s*([\w-]+)\.([\w-]+)\s*->\s*([\w-]+)\.([\w-]+)\s*$/.exec(text);
      if (!match) throw new Error(`bad edge "${text}"`);
      const [, source = '', sourcePort = '', target = '', targetPort = ''] = match;
      return { id: `e${index}`, source, sourcePort, target, targetPort };
    }),
  };
}
