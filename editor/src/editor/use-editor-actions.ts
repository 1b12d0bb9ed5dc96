// What the toolbar and the shortcuts do with the server: save, check, publish, versions, import.
import { exportContentHash } from '../../../workflows/export-hash.ts';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { api, ApiError, describeError } from '../api/client.ts';
import type { ExportDocument, PublishReply, ValidationReply, Workflow, WorkflowGraph } from '../api/types.ts';
import { toast } from '../ui/toasts.tsx';
import { layoutPositions } from './auto-layout.ts';
import { useEditorStoreApi } from './editor-context.tsx';
import { normalizeServerErrors } from './server-errors.ts';

export function useEditorActions(onSaved?: (workflow: Workflow) => void) {
  const store = useEditorStoreApi();
  const { fitView } = useReactFlow();

  const save = useCallback(async (): Promise<boolean> => {
    const { workflowId, name, description, toGraph, markSaved } = store.getState();
    try {
      const { workflow } = await api.put<{ workflow: Workflow }>(`/workflows/${encodeURIComponent(workflowId)}`, {
        name,
        description,
        graph: toGraph(),
      });
      markSaved();
      onSaved?.(workflow);
      toast.success('Saved.');
      return true;
    } catch (error) {
      toast.error(`Not saved: ${describeError(error)}`);
      return false;
    }
  }, [store, onSaved]);

  const check = useCallback(async () => {
    const { toGraph, setServerErrors } = store.getState();
    const graph = toGraph();
    try {
      const reply = await api.post<ValidationReply>('/workflows/validate', { graph });
      setServerErrors(normalizeServerErrors(reply.errors, graph));
      if (reply.ok) toast.success('The server finds no problems.');
      else toast.error(`The server finds ${reply.errors.length} problem${reply.errors.length === 1 ? '' : 's'}.`);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0)
        setServerErrors(normalizeServerErrors(error.errors, graph));
      toast.error(`Check failed: ${describeError(error)}`);
    }
  }, [store]);

  const publish = useCallback(async (): Promise<PublishReply | undefined> => {
    const state = store.getState();
    if (state.dirty && !(await save())) return undefined;
    const graph = state.toGraph();
    try {
      const reply = await api.post<PublishReply>(`/workflows/${encodeURIComponent(state.workflowId)}/publish`, {});
      state.setServerErrors([]);
      toast.success(
        reply.created ? `Published version ${reply.version}.` : `Unchanged: version ${reply.version} is current.`,
      );
      return reply;
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) {
        state.setServerErrors(normalizeServerErrors(error.errors, graph));
        toast.error(
          `Not published: the server found ${error.errors.length} problem${error.errors.length === 1 ? '' : 's'}, shown on the nodes.`,
        );
      } else toast.error(`Not published: ${describeError(error)}`);
      return undefined;
    }
  }, [store, save]);

  const layout = useCallback(async () => {
    const { nodes, edges, applyPositions } = store.getState();
    if (nodes.length === 0) return;
    applyPositions(await layoutPositions(nodes, edges));
    // Let React Flow measure the moved nodes before framing them.
    requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 200 }));
  }, [store, fitView]);

  const exportDocument = useCallback((): ExportDocument => {
    const { name, description, toGraph } = store.getState();
    return {
      format: 'trellis-workflow',
      formatVersion: 1,
      name,
      ...(description ? { description } : {}),
      graph: toGraph(),
    };
  }, [store]);

  const download = useCallback(async () => {
    // Round-tripped through JSON so the hash covers exactly what the file holds (no undefined fields).
    const plain = JSON.parse(JSON.stringify(exportDocument())) as ExportDocument;
    // The same content hash as the server's export: an import of a file changed since asks first.
    // WebCrypto exists only in secure contexts (https, localhost): elsewhere the file goes without it.
    const contentHash = await exportContentHash(plain).catch(() => undefined);
    const document_: ExportDocument = contentHash ? { ...plain, contentHash } : plain;
    const blob = new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `${document_.name.replace(/[^A-Za-z0-9_-]+/g, '-') || 'workflow'}.trellis.json`;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, [exportDocument]);

  /** Replaces the canvas with an exported file's graph (undo brings the old one back). */
  const importFile = useCallback(
    async (file: File) => {
      try {
        const parsed = JSON.parse(await file.text()) as Partial<ExportDocument> & Partial<WorkflowGraph>;
        const graph = parsed.format === 'trellis-workflow' ? parsed.graph : (parsed as WorkflowGraph);
        if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges))
          throw new Error('not a Trellis workflow export');
        store.getState().replaceGraph(graph);
        requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1 }));
        toast.success(`Imported ${graph.nodes.length} nodes. Save to keep them.`);
      } catch (error) {
        toast.error(`Cannot import ${file.name}: ${describeError(error)}`);
      }
    },
    [store, fitView],
  );

  const restoreVersion = useCallback(
    async (version: number) => {
      const { workflowId, replaceGraph } = store.getState();
      try {
        const reply = await api.get<{ graph: WorkflowGraph }>(
          `/workflows/${encodeURIComponent(workflowId)}/versions/${version}`,
        );
        replaceGraph(reply.graph);
        requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1 }));
        toast.info(`Version ${version} is on the canvas as a draft. Save to keep it.`);
      } catch (error) {
        toast.error(describeError(error));
      }
    },
    [store, fitView],
  );

  const clipboard = useMemo(
    () => ({
      copy: () => {
        const count = store.getState().copySelection();
        if (count > 0) toast.info(`Copied ${count} node${count === 1 ? '' : 's'}.`);
      },
      paste: () => void store.getState().paste(),
    }),
    [store],
  );

  return { save, check, publish, layout, download, importFile, restoreVersion, ...clipboard };
}
