import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';

/** The smallest listening workflow: a trigger on the source and one transform reading the event's key. */
export function listenerGraph(name: string, trigger: { kind: 'webhook' | 'email'; source: string }): WorkflowGraph {
  return {
    name,
    nodes: [
      { id: 'start', type: 'trigger', version: 1, config: trigger, position: { x: 0, y: 0 } },
      {
        id: 'key',
        type: 'transform',
        version: 1,
        config: { expression: 'idempotencyKey' },
        position: { x: 200, y: 0 },
      },
    ],
    edges: [{ id: 'e0', source: 'start', sourcePort: 'event', target: 'key', targetPort: 'value' }],
  };
}
