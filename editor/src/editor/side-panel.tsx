// The right-hand panel: the selected node's config form (rjsf from its JSON Schema), or, with
// nothing selected, the workflow's name and every problem in it.
import { useMemo } from 'react';
import { portsOf } from '../../../workflows/graph.ts';
import { SchemaForm } from '../ui/schema-form.tsx';
import { useEditorStore } from './editor-context.tsx';
import { messageOnNode } from './server-errors.ts';
import { portTypeLabel } from './workflow-node.tsx';

function NodePanel({ nodeId }: { nodeId: string }) {
  // The node's data only: dragging changes its position every frame, and the form need not follow.
  const data = useEditorStore((s) => s.nodes.find((n) => n.id === nodeId)?.data);
  const declaration = useEditorStore((s) => (data ? s.catalog.get(data.type, data.version) : undefined));
  const errors = useEditorStore((s) => s.errorsByNode.get(nodeId));
  const serverErrors = useEditorStore((s) => s.serverErrors);
  const updateNodeConfig = useEditorStore((s) => s.updateNodeConfig);
  const updateNodeLabel = useEditorStore((s) => s.updateNodeLabel);
  const selectNode = useEditorStore((s) => s.selectNode);

  const fieldProblems = useMemo(
    () =>
      serverErrors
        .filter((e) => e.nodeId === nodeId && e.code === 'invalid-config' && e.pointer)
        .map((e) => ({ pointer: e.pointer, message: messageOnNode(e).replace(/^config \S+: /, '') })),
    [serverErrors, nodeId],
  );

  if (!data) return null;
  if (!declaration)
    return (
      <p role="alert" className="error-text">
        {data.type}@{data.version} is not a known node type: install its plugin or delete the node.
      </p>
    );
  return (
    <div className="node-panel">
      <div className="panel-heading">
        <div>
          <h3>{declaration.title}</h3>
          <p className="muted small">
            {declaration.type}@{declaration.version} · id <code>{nodeId}</code>
          </p>
        </div>
        <button type="button" className="btn btn-quiet" onClick={() => selectNode(undefined)}>
          Close
        </button>
      </div>
      <p className="small">{declaration.description}</p>
      <label className="field">
        <span className="field-label">Label on the canvas</span>
        <input
          value={data.label ?? ''}
          placeholder={declaration.title}
          onChange={(e) => updateNodeLabel(nodeId, e.target.value)}
        />
      </label>
      {errors && errors.length > 0 ? (
        <ul className="problem-list" aria-label="Problems with this node">
          {errors.map((error, index) => (
            <li key={index} data-source={error.source}>
              {messageOnNode(error)}
              {error.source === 'server' ? <span className="muted small"> (server)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <h4>Configuration</h4>
      {Object.keys(declaration.config.properties).length === 0 ? (
        <p className="muted small">This node has nothing to configure.</p>
      ) : (
        <SchemaForm
          key={nodeId}
          id={`config-${nodeId}`}
          schema={declaration.config}
          value={data.config}
          problems={fieldProblems}
          onChange={(config) => updateNodeConfig(nodeId, config)}
        />
      )}
      <h4>Ports</h4>
      <dl className="port-list">
        {portsOf(declaration.input).map((port) => (
          <div key={`in-${port.name}`}>
            <dt>in · {port.name}</dt>
            <dd>
              {portTypeLabel(port.schema)}
              {port.required ? ', required' : ''}
            </dd>
          </div>
        ))}
        {portsOf(declaration.output).map((port) => (
          <div key={`out-${port.name}`}>
            <dt>out · {port.name}</dt>
            <dd>{portTypeLabel(port.schema)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function WorkflowPanel() {
  const name = useEditorStore((s) => s.name);
  const description = useEditorStore((s) => s.description);
  const setMeta = useEditorStore((s) => s.setMeta);
  const clientErrors = useEditorStore((s) => s.clientErrors);
  const serverErrors = useEditorStore((s) => s.serverErrors);
  const warnings = useEditorStore((s) => s.warnings);
  const selectNode = useEditorStore((s) => s.selectNode);
  const problems = [...serverErrors, ...clientErrors].filter(
    (error, index, all) => all.findIndex((other) => other.message === error.message) === index,
  );
  return (
    <div className="workflow-panel">
      <h3>Workflow</h3>
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(e) => setMeta({ name: e.target.value })} />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea rows={3} value={description} onChange={(e) => setMeta({ description: e.target.value })} />
      </label>
      <h4>Problems</h4>
      {problems.length === 0 ? (
        <p className="muted small">None: the graph is ready to publish.</p>
      ) : (
        <ul className="problem-list" aria-label="Problems in the workflow">
          {problems.map((error, index) => (
            <li key={index}>
              {error.nodeId ? (
                <button type="button" className="link-button" onClick={() => selectNode(error.nodeId)}>
                  {error.nodeId}
                </button>
              ) : null}{' '}
              {error.nodeId ? messageOnNode(error) : error.message}
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 ? (
        <>
          <h4>Warnings</h4>
          <ul className="warning-list">
            {warnings.map((warning, index) => (
              <li key={index}>{warning.message}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted small">
        Select a node to configure it. Drag from an output (right) to an input (left) to connect.
      </p>
    </div>
  );
}

export function SidePanel() {
  const selectedNodeId = useEditorStore((s) => s.selectedNodeId);
  return (
    <aside className="side-panel" aria-label={selectedNodeId ? 'Node settings' : 'Workflow settings'}>
      {selectedNodeId ? <NodePanel nodeId={selectedNodeId} /> : <WorkflowPanel />}
    </aside>
  );
}
