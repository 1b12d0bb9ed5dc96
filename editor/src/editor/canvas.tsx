// The drawing surface: React Flow over the store's nodes and edges, drop target of the palette,
// and the place where a refused connection says why.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type FinalConnectionState,
  type IsValidConnection,
} from '@xyflow/react';
import { useCallback, useState, type DragEvent } from 'react';
import { toast } from '../ui/toasts.tsx';
import { nodeKey } from './catalog.ts';
import { checkConnection, type ConnectionAttempt } from './connection-check.ts';
import { useEditorStore, useEditorStoreApi } from './editor-context.tsx';
import type { EditorState } from './editor-store.ts';
import type { WorkflowNode } from './flow-graph.ts';
import { WorkflowNodeView } from './workflow-node.tsx';

/** Defined once at module scope: a new object per render would remount every node. */
const nodeTypes = { workflow: WorkflowNodeView };

export const PALETTE_MIME = 'application/x-trellis-node';

/** Beyond this many nodes the minimap costs more frame time than it is worth, and rendering only what
 * is in view pays for its bookkeeping. */
const LARGE_GRAPH = 150;
/** A large graph opens no further out than this: legible, and only part of it in the DOM. */
const LARGE_GRAPH_MIN_FIT_ZOOM = 0.35;
/** Below this zoom node text is too small to read; it is hidden so frames do not paint it. */
const FAR_ZOOM = 0.3;

function verdict(state: EditorState, attempt: ConnectionAttempt) {
  const byId = new Map(state.nodes.map((node) => [node.id, node]));
  return checkConnection(attempt, byId, state.edges, state.catalog);
}

export function Canvas() {
  const store = useEditorStoreApi();
  const nodes = useEditorStore((s) => s.nodes);
  const edges = useEditorStore((s) => s.edges);
  const onNodesChange = useEditorStore((s) => s.onNodesChange);
  const onEdgesChange = useEditorStore((s) => s.onEdgesChange);
  const onConnect = useEditorStore((s) => s.onConnect);
  const beginDrag = useEditorStore((s) => s.beginDrag);
  const addNode = useEditorStore((s) => s.addNode);
  const setConnectionHint = useEditorStore((s) => s.setConnectionHint);
  const hint = useEditorStore((s) => s.connectionHint);
  const { screenToFlowPosition } = useReactFlow();
  // Frame a loaded graph once; an empty canvas keeps its viewport so drops land where they are dropped.
  const [fitOnLoad] = useState(() => store.getState().nodes.length > 0);
  const large = nodes.length > LARGE_GRAPH;
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);

  const isValidConnection = useCallback<IsValidConnection>(
    (connection: Edge | Connection) => {
      const result = verdict(store.getState(), connection);
      setConnectionHint(result.ok ? undefined : result.reason);
      return result.ok;
    },
    [store, setConnectionHint],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      setConnectionHint(undefined);
      const { fromHandle, toHandle, isValid } = connection;
      if (!fromHandle || !toHandle || isValid) return;
      if (fromHandle.type === toHandle.type) {
        toast.error('Connect an output (right side of a node) to an input (left side).');
        return;
      }
      const forward = fromHandle.type === 'source';
      const attempt: ConnectionAttempt = forward
        ? { source: fromHandle.nodeId, sourceHandle: fromHandle.id, target: toHandle.nodeId, targetHandle: toHandle.id }
        : {
            source: toHandle.nodeId,
            sourceHandle: toHandle.id,
            target: fromHandle.nodeId,
            targetHandle: fromHandle.id,
          };
      const result = verdict(store.getState(), attempt);
      if (!result.ok) toast.error(`Not connected: ${result.reason}`);
    },
    [store, setConnectionHint],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const key = event.dataTransfer.getData(PALETTE_MIME);
      if (!key) return;
      event.preventDefault();
      const nodeType = store.getState().catalog.all.find((node) => nodeKey(node.type, node.version) === key);
      if (!nodeType) return;
      // Drop where the pointer is, with the node's header under it.
      const position = screenToFlowPosition({ x: event.clientX - 20, y: event.clientY - 16 });
      addNode(nodeType, position);
    },
    [store, addNode, screenToFlowPosition],
  );

  return (
    <div className={far ? 'canvas is-far' : 'canvas'} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<WorkflowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginDrag}
        onSelectionDragStart={beginDrag}
        deleteKeyCode={null}
        fitView={fitOnLoad}
        fitViewOptions={
          large ? { maxZoom: 1, minZoom: LARGE_GRAPH_MIN_FIT_ZOOM, padding: 0.2 } : { maxZoom: 1, padding: 0.2 }
        }
        onlyRenderVisibleElements={large}
        minZoom={0.05}
        aria-label="Workflow canvas"
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {!large ? <MiniMap pannable zoomable ariaLabel="Overview of the workflow" /> : null}
      </ReactFlow>
      {nodes.length === 0 ? (
        <div className="canvas-empty">
          <p>
            <strong>Start with a Trigger.</strong> Drag it from the palette onto the canvas, then add the steps that
            follow and connect an output (right side of a node) to an input (left side).
          </p>
        </div>
      ) : null}
      {hint ? (
        <div className="connection-hint" role="status">
          {hint}
        </div>
      ) : null}
    </div>
  );
}
