// The editor's state: one zustand store per open workflow, made by a factory and read through
// selectors (strudel-flow's pattern), so a node component re-renders only when its own slice changes.
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { validateGraph } from '../../../workflows/validate.ts';
import type { GraphError, GraphWarning, NodeType, WorkflowGraph } from '../api/types.ts';
import type { Catalog } from './catalog.ts';
import { defaultConfig } from './config-defaults.ts';
import {
  edgeId,
  flowToGraph,
  freshNodeId,
  graphToFlow,
  type WorkflowEdge,
  type WorkflowNode,
  type WorkflowNodeData,
} from './flow-graph.ts';

interface Snapshot {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

const HISTORY_LIMIT = 100;
const VALIDATE_DELAY_MS = 120;

export interface EditorState {
  workflowId: string;
  name: string;
  description: string;
  catalog: Catalog;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  selectedNodeId: string | undefined;
  /** From validateGraph as you draw. */
  clientErrors: GraphError[];
  warnings: GraphWarning[];
  /** From POST /workflows/validate or a refused publish; cleared where you change the graph. */
  serverErrors: GraphError[];
  /** Client and server errors by node id; arrays keep their identity until they change (cheap selectors). */
  errorsByNode: ReadonlyMap<string, ShownError[]>;
  past: Snapshot[];
  future: Snapshot[];
  clipboard: Snapshot | undefined;
  /** Why the connection being drawn would be refused, while it is being drawn. */
  connectionHint: string | undefined;
  dirty: boolean;

  onNodesChange: (changes: NodeChange<WorkflowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<WorkflowEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  addNode: (nodeType: NodeType, position: XYPosition) => string;
  updateNodeConfig: (nodeId: string, config: Record<string, unknown>) => void;
  updateNodeLabel: (nodeId: string, label: string) => void;
  selectNode: (nodeId: string | undefined) => void;
  beginDrag: () => void;
  deleteSelection: () => void;
  copySelection: () => number;
  paste: () => number;
  undo: () => void;
  redo: () => void;
  applyPositions: (positions: ReadonlyMap<string, XYPosition>) => void;
  replaceGraph: (graph: WorkflowGraph) => void;
  setMeta: (meta: { name?: string; description?: string }) => void;
  setServerErrors: (errors: GraphError[]) => void;
  setConnectionHint: (hint: string | undefined) => void;
  markSaved: () => void;
  revalidate: () => void;
  toGraph: () => WorkflowGraph;
}

/** An error as a node shows it, with who found it (the server's words win when both say the same). */
export type ShownError = GraphError & { source: 'client' | 'server' };

function groupByNode(
  client: GraphError[],
  server: GraphError[],
  previous: ReadonlyMap<string, ShownError[]>,
): Map<string, ShownError[]> {
  const errors: ShownError[] = [
    ...server.map((error) => ({ ...error, source: 'server' as const })),
    ...client.map((error) => ({ ...error, source: 'client' as const })),
  ];
  const grouped = new Map<string, ShownError[]>();
  for (const error of errors) {
    if (!error.nodeId) continue;
    const list = grouped.get(error.nodeId);
    // The server and the client say the same thing in the same words: show it once.
    if (list?.some((seen) => seen.message === error.message)) continue;
    if (list) list.push(error);
    else grouped.set(error.nodeId, [error]);
  }
  // Keep the old array when a node's errors did not change, so its component does not re-render.
  for (const [nodeId, list] of grouped) {
    const before = previous.get(nodeId);
    if (
      before &&
      before.length === list.length &&
      before.every((e, i) => e.message === list[i]?.message && e.source === list[i]?.source)
    )
      grouped.set(nodeId, before);
  }
  return grouped;
}

export interface EditorInit {
  workflowId: string;
  name: string;
  description?: string;
  graph: WorkflowGraph;
  catalog: Catalog;
}

export function createEditorStore(init: EditorInit): StoreApi<EditorState> {
  const { nodes, edges } = graphToFlow(init.graph);
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  /** Successive edits of one node's config form are one undo step. */
  let lastCommit: string | undefined;

  const store = createStore<EditorState>()((set, get) => {
    const revalidateSoon = () => {
      if (validateTimer) clearTimeout(validateTimer);
      validateTimer = setTimeout(() => {
        const state = get();
        const result = validateGraph(state.toGraph(), state.catalog);
        set({
          clientErrors: result.errors,
          warnings: result.warnings,
          errorsByNode: groupByNode(result.errors, state.serverErrors, state.errorsByNode),
        });
      }, VALIDATE_DELAY_MS);
    };

    /** Remembers the graph before a change, for undo. */
    const commit = (key?: string) => {
      if (key !== undefined && key === lastCommit) return;
      lastCommit = key;
      const { nodes: n, edges: e, past } = get();
      set({ past: [...past.slice(-(HISTORY_LIMIT - 1)), { nodes: n, edges: e }], future: [], dirty: true });
    };

    /** A structural change makes server errors stale: drop them, validate again locally. */
    const structural = () => {
      set({ serverErrors: [] });
      revalidateSoon();
    };

    return {
      workflowId: init.workflowId,
      name: init.name,
      description: init.description ?? '',
      catalog: init.catalog,
      nodes,
      edges,
      selectedNodeId: undefined,
      clientErrors: [],
      warnings: [],
      serverErrors: [],
      errorsByNode: new Map(),
      past: [],
      future: [],
      clipboard: undefined,
      connectionHint: undefined,
      dirty: false,

      onNodesChange: (changes) => {
        const removes = changes.some((change) => change.type === 'remove');
        if (removes) commit();
        let selectedNodeId = get().selectedNodeId;
        for (const change of changes) {
          if (change.type === 'select' && change.selected) selectedNodeId = change.id;
          else if (change.type === 'select' && change.id === selectedNodeId) selectedNodeId = undefined;
          else if (change.type === 'remove' && change.id === selectedNodeId) selectedNodeId = undefined;
        }
        const moved = changes.some((change) => change.type === 'position' && change.dragging === false);
        set((state) => ({
          nodes: applyNodeChanges(changes, state.nodes),
          selectedNodeId,
          ...(moved || removes ? { dirty: true } : {}),
        }));
        if (removes) structural();
      },

      onEdgesChange: (changes) => {
        const removes = changes.some((change) => change.type === 'remove');
        if (removes) commit();
        set((state) => ({ edges: applyEdgeChanges(changes, state.edges) }));
        if (removes) structural();
      },

      onConnect: (connection) => {
        const { source, target, sourceHandle, targetHandle } = connection;
        if (!sourceHandle || !targetHandle) return;
        commit();
        const id = edgeId(source, sourceHandle, target, targetHandle);
        set((state) => ({ edges: addEdge({ ...connection, id }, state.edges), connectionHint: undefined }));
        structural();
      },

      addNode: (nodeType, position) => {
        commit();
        const taken = new Set(get().nodes.map((node) => node.id));
        const id = freshNodeId(nodeType.type, taken);
        const node: WorkflowNode = {
          id,
          type: 'workflow',
          position,
          selected: true,
          data: { type: nodeType.type, version: nodeType.version, config: defaultConfig(nodeType.config) },
        };
        set((state) => ({
          nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          selectedNodeId: id,
        }));
        structural();
        return id;
      },

      updateNodeConfig: (nodeId, config) => {
        commit(`config:${nodeId}`);
        set((state) => ({
          nodes: state.nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, config } } : node)),
          // The field the server named may be fixed now; the next server check will say.
          serverErrors: state.serverErrors.filter((error) => error.nodeId !== nodeId),
        }));
        revalidateSoon();
      },

      updateNodeLabel: (nodeId, label) => {
        commit(`label:${nodeId}`);
        set((state) => ({
          nodes: state.nodes.map((node) => {
            if (node.id !== nodeId) return node;
            const { label: _old, ...rest } = node.data;
            const data: WorkflowNodeData = label ? { ...rest, label } : rest;
            return { ...node, data };
          }),
        }));
      },

      selectNode: (nodeId) =>
        set((state) => ({
          selectedNodeId: nodeId,
          nodes: state.nodes.map((node) => {
            const selected = node.id === nodeId;
            return node.selected === selected ? node : { ...node, selected };
          }),
        })),

      beginDrag: () => commit(),

      deleteSelection: () => {
        const { nodes: n, edges: e } = get();
        const gone = new Set(n.filter((node) => node.selected).map((node) => node.id));
        const edgesLeft = e.filter((edge) => !edge.selected && !gone.has(edge.source) && !gone.has(edge.target));
        if (gone.size === 0 && edgesLeft.length === e.length) return;
        commit();
        set((state) => ({
          nodes: state.nodes.filter((node) => !gone.has(node.id)),
          edges: edgesLeft,
          selectedNodeId: state.selectedNodeId && gone.has(state.selectedNodeId) ? undefined : state.selectedNodeId,
        }));
        structural();
      },

      copySelection: () => {
        const { nodes: n, edges: e } = get();
        const picked = n.filter((node) => node.selected);
        const ids = new Set(picked.map((node) => node.id));
        const inner = e.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
        if (picked.length > 0) set({ clipboard: { nodes: picked, edges: inner } });
        return picked.length;
      },

      paste: () => {
        const { clipboard } = get();
        if (!clipboard || clipboard.nodes.length === 0) return 0;
        commit();
        const taken = new Set(get().nodes.map((node) => node.id));
        const renamed = new Map<string, string>();
        const pasted = clipboard.nodes.map((node): WorkflowNode => {
          const id = freshNodeId(node.data.type, taken);
          taken.add(id);
          renamed.set(node.id, id);
          return {
            ...node,
            id,
            selected: true,
            position: { x: node.position.x + 40, y: node.position.y + 40 },
            data: structuredClone(node.data),
          };
        });
        const pastedEdges = clipboard.edges.map((edge): WorkflowEdge => {
          const source = renamed.get(edge.source) as string;
          const target = renamed.get(edge.target) as string;
          return {
            ...edge,
            id: edgeId(source, edge.sourceHandle ?? '', target, edge.targetHandle ?? ''),
            source,
            target,
            selected: false,
          };
        });
        set((state) => ({
          nodes: [...state.nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...pasted],
          edges: [...state.edges, ...pastedEdges],
          // The copy moves along: pasting again steps further.
          clipboard: { nodes: pasted, edges: pastedEdges },
          selectedNodeId: pasted.length === 1 ? pasted[0]?.id : undefined,
        }));
        structural();
        return pasted.length;
      },

      undo: () => {
        const { past, future, nodes: n, edges: e } = get();
        const previous = past.at(-1);
        if (!previous) return;
        lastCommit = undefined;
        set({ past: past.slice(0, -1), future: [{ nodes: n, edges: e }, ...future], ...previous, dirty: true });
        structural();
      },

      redo: () => {
        const { past, future, nodes: n, edges: e } = get();
        const [next, ...rest] = future;
        if (!next) return;
        lastCommit = undefined;
        set({ past: [...past, { nodes: n, edges: e }], future: rest, ...next, dirty: true });
        structural();
      },

      applyPositions: (positions) => {
        commit();
        set((state) => ({
          nodes: state.nodes.map((node) => {
            const position = positions.get(node.id);
            return position ? { ...node, position } : node;
          }),
        }));
      },

      replaceGraph: (graph) => {
        commit();
        const flow = graphToFlow(graph);
        set({ ...flow, selectedNodeId: undefined });
        structural();
      },

      setMeta: (meta) => {
        set({ ...meta, dirty: true });
        if (meta.name !== undefined) revalidateSoon();
      },

      setServerErrors: (errors) => {
        set((state) => ({
          serverErrors: errors,
          errorsByNode: groupByNode(state.clientErrors, errors, state.errorsByNode),
        }));
      },

      setConnectionHint: (hint) => {
        if (get().connectionHint !== hint) set({ connectionHint: hint });
      },

      markSaved: () => set({ dirty: false }),

      revalidate: () => revalidateSoon(),

      toGraph: () => {
        const { name, description, nodes: n, edges: e } = get();
        return flowToGraph({ name, description }, n, e);
      },
    };
  });
  // Validate what was loaded, so a saved invalid draft shows its problems at once.
  store.getState().revalidate();
  return store;
}
