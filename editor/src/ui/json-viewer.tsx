// A collapsible view of any JSON value, built on <details> so it works with the keyboard as is.
import { memo } from 'react';

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">"{value}"</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  return <span className="json-null">undefined</span>;
}

function summary(value: object): string {
  return Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
}

function Tree({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-row">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: (readonly [string, unknown])[] = Array.isArray(value)
    ? (value as unknown[]).map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  if (entries.length === 0) {
    return (
      <div className="json-row">
        {label}
        <span className="json-null">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    );
  }
  return (
    <details className="json-node" open={depth < 3}>
      <summary>
        {label}
        <span className="json-count">{summary(value)}</span>
      </summary>
      <div className="json-children">
        {entries.map(([key, child]) => (
          <Tree key={key} name={key} value={child} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

export const JsonViewer = memo(function JsonViewer({ value, label }: { value: unknown; label: string }) {
  return (
    <div className="json-viewer" role="group" aria-label={label}>
      {value === undefined ? <span className="muted">nothing</span> : <Tree value={value} depth={0} />}
    </div>
  );
});
