// One node on the canvas: title, summary, a typed handle per port (id = port name). Memoised, and it
// reads only its own declaration and errors from the store.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { portsOf, type Port } from '../../../workflows/graph.ts';
import type { NodeType } from '../api/types.ts';
import { useEditorStore } from './editor-context.tsx';
import { messageOnNode } from './server-errors.ts';
import type { WorkflowNode } from './flow-graph.ts';

/** A short word for a port's schema, shown beside the handle so you can see what fits. */
export function portTypeLabel(schema: Port['schema']): string {
  if (typeof schema !== 'object') return 'any';
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  const type = Array.isArray(schema.type) ? schema.type.join('|') : (schema.type as string | undefined);
  if (Array.isArray(schema.enum)) return 'choice';
  // A short title names an object port's contract ("event", "extraction"); a long one is a description.
  if (type === 'object' && title && title.length <= 16) return title.toLowerCase();
  return type ?? 'any';
}

function summaryOf(declaration: NodeType | undefined, config: Record<string, unknown>): string | undefined {
  const field = declaration?.editor?.summaryField;
  const value = field ? config[field] : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

const PortRow = memo(function PortRow({ port, side }: { port: Port; side: 'in' | 'out' }) {
  const type = portTypeLabel(port.schema);
  return (
    <div className={`port port-${side}`} data-port={port.name} title={`${port.name}: ${type}`}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={port.name}
        className="port-handle"
        aria-label={`${side === 'in' ? 'input' : 'output'} ${port.name} (${type})`}
        title={`${port.name}: ${type}${port.required ? ', required' : ''}`}
      />
      <span className="port-name">
        {port.name}
        {port.required && side === 'in' ? <span aria-hidden="true">*</span> : null}
      </span>
      {type === 'any' ? null : <span className="port-type">{type}</span>}
    </div>
  );
});

export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected }: NodeProps<WorkflowNode>) {
  const declaration = useEditorStore((s) => s.catalog.get(data.type, data.version));
  const errors = useEditorStore((s) => s.errorsByNode.get(id));
  const inputs = declaration ? portsOf(declaration.input) : [];
  const outputs = declaration ? portsOf(declaration.output) : [];
  const summary = summaryOf(declaration, data.config);
  const color = declaration?.editor?.color ?? '#6b7280';
  const problems = errors?.length ?? 0;
  return (
    <div
      className={`wf-node${selected ? ' is-selected' : ''}${problems > 0 ? ' has-errors' : ''}`}
      style={{ borderTopColor: color }}
      data-node-type={data.type}
      aria-label={`${data.label ?? declaration?.title ?? data.type} node ${id}`}
    >
      <div className="wf-node-header">
        <span className="wf-node-title">{data.label ?? declaration?.title ?? data.type}</span>
        <span className="wf-node-id">{id}</span>
      </div>
      {summary ? <div className="wf-node-summary">{summary}</div> : null}
      {!declaration ? (
        <div className="wf-node-error">
          Unknown type {data.type}@{data.version}
        </div>
      ) : null}
      {problems > 0 ? (
        <ul className="wf-node-errors" aria-label={`${problems} problem${problems === 1 ? '' : 's'}`}>
          {errors?.slice(0, 3).map((error, index) => (
            <li key={index} data-source={error.source}>
              {messageOnNode(error)}
            </li>
          ))}
          {problems > 3 ? <li>and {problems - 3} more</li> : null}
        </ul>
      ) : null}
      <div className="wf-node-ports">
        <div className="ports-in">
          {inputs.map((port) => (
            <PortRow key={port.name} port={port} side="in" />
          ))}
        </div>
        <div className="ports-out">
          {outputs.map((port) => (
            <PortRow key={port.name} port={port} side="out" />
          ))}
        </div>
      </div>
    </div>
  );
});
