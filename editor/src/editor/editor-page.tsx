// The workflow editor: palette, canvas, side panel and toolbar over one store per workflow.
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/use-api.ts';
import type { NodeType, Workflow } from '../api/types.ts';
import { LoadState } from '../ui/page.tsx';
import { Canvas } from './canvas.tsx';
import { createCatalog } from './catalog.ts';
import { EditorStoreProvider, useEditorStore } from './editor-context.tsx';
import { preloadConfigValidators } from './graph-ajv.ts';
import { createEditorStore } from './editor-store.ts';
import { Palette } from './palette.tsx';
import { RunDialog } from './run-dialog.tsx';
import { SidePanel } from './side-panel.tsx';
import { Toolbar } from './toolbar.tsx';
import { useEditorActions } from './use-editor-actions.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { VersionsDialog } from './versions-dialog.tsx';

function Workbench({ workflow }: { workflow: Workflow }) {
  const [latestVersion, setLatestVersion] = useState(workflow.latestVersion?.version);
  const [dialog, setDialog] = useState<'run' | 'versions' | undefined>();
  const catalog = useEditorStore((s) => s.catalog);
  const triggerType = useEditorStore((s) => {
    const trigger = s.nodes.find(
      (node) => s.catalog.get(node.data.type, node.data.version)?.execution.kind === 'trigger',
    );
    return trigger ? s.catalog.get(trigger.data.type, trigger.data.version) : undefined;
  });
  const onSaved = useCallback((saved: Workflow) => setLatestVersion(saved.latestVersion?.version), []);
  const actions = useEditorActions(onSaved);
  const undo = useEditorStore((s) => s.undo);
  const redo = useEditorStore((s) => s.redo);
  const deleteSelection = useEditorStore((s) => s.deleteSelection);

  const shortcuts = useMemo(
    () => ({
      undo,
      redo,
      remove: deleteSelection,
      copy: actions.copy,
      paste: actions.paste,
      save: () => void actions.save(),
      layout: () => void actions.layout(),
    }),
    [undo, redo, deleteSelection, actions],
  );
  useShortcuts(shortcuts);

  const toolbarActions = useMemo(
    () => ({
      save: () => void actions.save(),
      check: () => void actions.check(),
      publish: () =>
        void actions.publish().then((reply) => {
          if (reply) setLatestVersion(reply.version);
        }),
      layout: () => void actions.layout(),
      download: actions.download,
      importFile: (file: File) => void actions.importFile(file),
      openVersions: () => setDialog('versions'),
      openRun: () => setDialog('run'),
    }),
    [actions],
  );

  return (
    <div className="editor" data-node-types={catalog.all.length}>
      <Toolbar actions={toolbarActions} latestVersion={latestVersion} />
      <div className="editor-body">
        <Palette />
        <Canvas />
        <SidePanel />
      </div>
      <RunDialog
        workflowId={workflow.id}
        trigger={triggerType}
        latestVersion={latestVersion}
        open={dialog === 'run'}
        onClose={() => setDialog(undefined)}
      />
      <VersionsDialog
        workflowId={workflow.id}
        open={dialog === 'versions'}
        onClose={() => setDialog(undefined)}
        onRestore={(version) => void actions.restoreVersion(version)}
      />
    </div>
  );
}

function LoadedEditor({ workflow, nodeTypes }: { workflow: Workflow; nodeTypes: NodeType[] }) {
  // One store per opened workflow; it lives as long as this page shows that workflow.
  const store = useMemo(
    () =>
      createEditorStore({
        workflowId: workflow.id,
        name: workflow.name,
        ...(workflow.description ? { description: workflow.description } : {}),
        graph: workflow.graph,
        catalog: createCatalog(nodeTypes),
      }),
    [workflow, nodeTypes],
  );
  return (
    <EditorStoreProvider store={store}>
      <ReactFlowProvider>
        <Workbench workflow={workflow} />
      </ReactFlowProvider>
    </EditorStoreProvider>
  );
}

/** The node types' config validators, loaded before the canvas shows so the graph check covers configs. */
function useConfigValidators(nodeTypes: NodeType[] | undefined): { ready: boolean; error?: string } {
  const [state, setState] = useState<{ for?: NodeType[]; error?: string }>({});
  useEffect(() => {
    if (!nodeTypes) return;
    let live = true;
    preloadConfigValidators(nodeTypes.map((type) => type.config)).then(
      () => live && setState({ for: nodeTypes }),
      (error: unknown) =>
        live && setState({ for: nodeTypes, error: `the node forms could not load: ${String(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [nodeTypes]);
  return { ready: nodeTypes !== undefined && state.for === nodeTypes, ...(state.error ? { error: state.error } : {}) };
}

export function EditorPage({ workflowId }: { workflowId: string }) {
  const types = useApi<{ nodeTypes: NodeType[] }>('/node-types');
  const workflow = useApi<{ workflow: Workflow }>(`/workflows/${encodeURIComponent(workflowId)}`);
  const validators = useConfigValidators(types.data?.nodeTypes);
  if (!types.data || !workflow.data || !validators.ready || validators.error)
    return (
      <div className="page">
        <LoadState
          loading={types.loading || workflow.loading || !validators.ready}
          error={types.error ?? workflow.error ?? validators.error}
        />
      </div>
    );
  return <LoadedEditor key={workflowId} workflow={workflow.data.workflow} nodeTypes={types.data.nodeTypes} />;
}
