// The run's graph, each node coloured by its status; live while the run goes on. Read-only.
import { Handle, Position, ReactFlow, ReactFlowProvider, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo } from 'react';
import type { WorkflowGraph } from '../api/types.ts';

type RunNodeData = { title: string; type: string; status: string; detail?: string };
type RunNode = Node<RunNodeData, 'run'>;

const RunNodeView = memo(function RunNodeView({ id, data, selected }: NodeProps<RunNode>) {
  return (
    <div
      className={`run-node status-${data.status}${selected ? ' is-selected' : ''}`}
      aria-label={`${id}: ${data.status}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="run-node-meta">
        <span className="run-node-title">{data.title}</span>
        <span className={`badge badge-${data.status}`}>{data.status}</span>
      </div>
      <div className="mono small muted">{id}</div>
      {data.detail ? <div className="run-node-detail small">{data.detail}</div> : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

/** Module scope: one object for the life of the app. */
const nodeTypes = { run: RunNodeView };

export function RunGraph({
  graph,
  titles,
  statusOf,
  selected,
  onSelect,
}: {
  graph: WorkflowGraph;
  /** Node type → its title, from the palette's declarations. */
  titles: ReadonlyMap<string, string>;
  statusOf: (nodeId: string) => { status: string; detail?: string };
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
}) {
  const nodes = useMemo(
    () =>
      graph.nodes.map((node): RunNode => {
        const { status, detail } = statusOf(node.id);
        return {
          id: node.id,
          type: 'run',
          position: node.position,
          selected: node.id === selected,
          draggable: false,
          data: {
            title: node.label ?? titles.get(node.type) ?? node.type,
            type: node.type,
            status,
            ...(detail ? { detail } : {}),
          },
        };
      }),
    [graph, titles, statusOf, selected],
  );
  const edges = useMemo(
    () =>
      graph.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        animated: statusOf(edge.target).status === 'running',
      })),
    [graph, statusOf],
  );
  return (
    <div className="run-graph">
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          onNodeClick={(_event, node) => onSelect(node.id)}
          fitView
          fitViewOptions={{ maxZoom: 1, padding: 0.15 }}
          aria-label="Run graph coloured by node status"
        />
      </ReactFlowProvider>
    </div>
  );
}
