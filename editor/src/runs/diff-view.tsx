// Outputs of two runs side by side, node by node, with each difference named by its path.
import type { NodeDiff } from '../api/types.ts';
import { JsonViewer } from '../ui/json-viewer.tsx';
import { StatusBadge } from '../ui/status-badge.tsx';

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '—' : text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function DiffView({
  diff,
  beforeLabel,
  afterLabel,
}: {
  diff: NodeDiff[];
  beforeLabel: string;
  afterLabel: string;
}) {
  const changed = diff.filter((node) => node.change !== 'same').length;
  return (
    <div className="diff" aria-label="Output differences">
      <p className="small">
        {changed === 0
          ? 'Every node produced the same output.'
          : `${changed} of ${diff.length} nodes produced a different output.`}
      </p>
      {diff.map((node) => (
        <details
          key={node.nodeId}
          className={`diff-node change-${node.change}`}
          open={node.change !== 'same'}
          data-node-id={node.nodeId}
        >
          <summary>
            <span className="ledger-node">{node.nodeId}</span>
            <StatusBadge status={node.change} />
            {node.differences.length > 0 ? (
              <span className="muted small">{node.differences.length} difference(s)</span>
            ) : null}
          </summary>
          {node.differences.length > 0 ? (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">{beforeLabel}</th>
                  <th scope="col">{afterLabel}</th>
                </tr>
              </thead>
              <tbody>
                {node.differences.map((difference, index) => (
                  <tr key={index}>
                    <td>
                      <code>{difference.path}</code>
                    </td>
                    <td className="diff-before">{difference.type === 'CREATE' ? '—' : short(difference.before)}</td>
                    <td className="diff-after">{difference.type === 'REMOVE' ? '—' : short(difference.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="io-grid">
            <section>
              <h4>{beforeLabel}</h4>
              <JsonViewer value={node.before} label={`${node.nodeId} ${beforeLabel}`} />
            </section>
            <section>
              <h4>{afterLabel}</h4>
              <JsonViewer value={node.after} label={`${node.nodeId} ${afterLabel}`} />
            </section>
          </div>
        </details>
      ))}
    </div>
  );
}
