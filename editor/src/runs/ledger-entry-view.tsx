// One node's line in the ledger: what went in, what came out, how (tier, model, cost, attempts), and
// what people decided.
import { memo } from 'react';
import type { LedgerEntry } from '../api/types.ts';
import { formatCost, formatDate, formatDuration } from '../ui/format.ts';
import { JsonViewer } from '../ui/json-viewer.tsx';
import { StatusBadge } from '../ui/status-badge.tsx';
import { AgentSteps } from './agent-steps.tsx';
import { findRetrievals, RetrievalView } from './retrieval-view.tsx';

function durationOf(entry: LedgerEntry): number | undefined {
  if (!entry.startedAt || !entry.endedAt) return entry.latencyMs;
  return new Date(entry.endedAt).getTime() - new Date(entry.startedAt).getTime();
}

export const LedgerEntryView = memo(function LedgerEntryView({
  entry,
  open,
  onToggle,
}: {
  entry: LedgerEntry;
  open: boolean;
  onToggle: (nodeId: string, open: boolean) => void;
}) {
  const retries = Math.max(0, entry.attempt - 1);
  const retrievals = findRetrievals(entry.output, entry.input);
  return (
    <details
      className="ledger-entry"
      open={open}
      data-node-id={entry.nodeId}
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        if (isOpen !== open) onToggle(entry.nodeId, isOpen);
      }}
    >
      <summary>
        <span className="ledger-node">{entry.nodeId}</span>
        <span className="muted small">{entry.nodeType}</span>
        <StatusBadge status={entry.status} />
        <span className="ledger-meta small">
          {entry.tier ? <span>tier {entry.tier}</span> : null}
          <span>{formatCost(entry.costUsd)}</span>
          {retries > 0 ? (
            <span>
              {retries} retr{retries === 1 ? 'y' : 'ies'}
            </span>
          ) : null}
          {entry.approvals.length > 0 ? <span>{entry.approvals.length} decision(s)</span> : null}
        </span>
      </summary>
      {open ? (
        <div className="ledger-body">
          <dl className="facts">
            <div>
              <dt>Attempts</dt>
              <dd>{entry.attempt}</dd>
            </div>
            <div>
              <dt>Tier</dt>
              <dd>{entry.tier ?? '—'}</dd>
            </div>
            <div>
              <dt>Model</dt>
              <dd>{entry.model ?? '—'}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{formatCost(entry.costUsd)}</dd>
            </div>
            <div>
              <dt>Took</dt>
              <dd>{formatDuration(durationOf(entry))}</dd>
            </div>
            <div>
              <dt>Confidence</dt>
              <dd>{entry.confidence ?? '—'}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDate(entry.startedAt)}</dd>
            </div>
          </dl>
          {entry.error ? (
            <p role="alert" className="error-text">
              {entry.error}
            </p>
          ) : null}
          {entry.agent ? <AgentSteps nodeId={entry.nodeId} timeline={entry.agent} approvals={entry.approvals} /> : null}
          {entry.notes && entry.notes.length > 0 ? (
            <ul className="notes" aria-label="Notes">
              {entry.notes.map((note, index) => (
                <li key={index}>{note}</li>
              ))}
            </ul>
          ) : null}
          {entry.approvals.length > 0 ? (
            <>
              <h4>Decisions</h4>
              <ul className="approvals">
                {entry.approvals.map((approval, index) => (
                  <li key={index}>
                    <StatusBadge status={approval.decision} /> by {approval.reviewer}, {formatDate(approval.decidedAt)}
                    {approval.note ? <span className="muted"> — {approval.note}</span> : null}
                    {approval.value !== undefined && approval.decision === 'edited' ? (
                      <JsonViewer value={approval.value} label="Edited value" />
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className="io-grid">
            <section aria-label={`Input of ${entry.nodeId}`}>
              <h4>Input</h4>
              <JsonViewer value={entry.input} label={`Input of ${entry.nodeId}`} />
            </section>
            <section aria-label={`Output of ${entry.nodeId}`}>
              <h4>Output</h4>
              <JsonViewer value={entry.output} label={`Output of ${entry.nodeId}`} />
            </section>
          </div>
          {retrievals.map((retrieval) => (
            <section key={retrieval.fingerprint} aria-label="Retrieved memory">
              <h4>Retrieved memory</h4>
              <RetrievalView retrieval={retrieval} />
            </section>
          ))}
          <details className="config-details">
            <summary>Config</summary>
            <JsonViewer value={entry.config} label={`Config of ${entry.nodeId}`} />
          </details>
        </div>
      ) : null}
    </details>
  );
});
