// One past run (or event) replayed by a canary: what each node gave before and with the candidate,
// whether a person had judged it, and whether the candidate now matches what they approved.
import type { CanaryReport, CanaryRun } from '../../api/types.ts';
import { paths } from '../../app/router.ts';
import { JsonViewer } from '../../ui/json-viewer.tsx';
import { Link } from '../../ui/link.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import type { Directory } from '../directory.ts';

/** A routing canary's before/after are workflow ids or `triage`/`dismissed`: say them by name. */
function destination(value: unknown, dir: Directory): string {
  if (value === 'triage') return 'triage (a person picks)';
  if (value === 'dismissed') return 'dismissed';
  return typeof value === 'string' ? dir.workflowName(value) : JSON.stringify(value);
}

/** Run ids are `run:<workflow>:<key>`; the key (how it started) tells the runs of one workflow apart. */
function runLabel(runId: string): string {
  const key = runId.split(':').slice(2).join(':') || runId;
  return key.length > 34 ? `${key.slice(0, 33)}…` : key;
}

/** What the summary line says about one replayed run or event. */
function runGist(run: CanaryRun, routing: boolean, dir: Directory): string {
  const first = run.nodes[0];
  if (routing && first) return `${destination(first.before, dir)} → ${destination(first.after, dir)}`;
  if (run.nodes.length === 0) return 'nothing changed or judged';
  const changed = run.nodes.filter((node) => node.changed).map((node) => node.nodeId);
  return changed.length > 0 ? `changed: ${changed.join(', ')}` : `${run.nodes.length} compared, none changed`;
}

export function RunItem({ run, report, dir }: { run: CanaryRun; report: CanaryReport; dir: Directory }) {
  const routing = report.kind === 'routing';
  const changed = run.nodes.filter((node) => node.changed).length;
  return (
    <details className="ledger-entry" data-past-run={run.pastRunId} open={run.status === 'failed'}>
      <summary>
        <span className="ledger-node" title={run.pastRunId}>
          {routing ? `event ${run.pastRunId.slice(0, 8)}…` : runLabel(run.pastRunId)}
        </span>
        {run.status === 'failed' ? <StatusBadge status="failed" /> : null}
        {changed > 0 ? <StatusBadge status="changed" /> : null}
        <span className="ledger-meta small">{runGist(run, routing, dir)}</span>
      </summary>
      <div className="ledger-body">
        {routing ? (
          <p className="small">
            Event <code className="wrap">{run.pastRunId}</code>
          </p>
        ) : null}
        {!routing ? (
          <p className="small">
            <Link href={paths.run(run.pastRunId)}>The past run</Link>
            {run.canaryRunId ? (
              <>
                {' · '}
                <Link href={paths.run(run.canaryRunId)}>its canary run</Link>
              </>
            ) : null}
          </p>
        ) : null}
        {run.error ? (
          <p role="alert" className="error-text">
            {run.error}
          </p>
        ) : null}
        {run.nodes.map((node) => (
          <div key={node.nodeId} className="observation">
            <div className="observation-head">
              <code>{node.nodeId}</code>
              <StatusBadge status={node.changed ? 'changed' : 'same'} />
              {node.reused ? <span className="chip">reused from the record</span> : null}
              {node.verdict ? <span className="chip">a person {node.verdict} it</span> : null}
              {node.matchesApproved !== undefined ? (
                <span className={node.matchesApproved ? 'ok-text small' : 'error-text small'}>
                  {node.matchesApproved ? 'matches the approved value' : 'differs from the approved value'}
                </span>
              ) : null}
              {node.asksHumanNow ? <span className="chip">would ask a person</span> : null}
            </div>
            {node.note ? <p className="muted small">{node.note}</p> : null}
            {routing ? (
              <p className="small">
                {destination(node.before, dir)} → <strong>{destination(node.after, dir)}</strong>
              </p>
            ) : node.changed || node.before !== undefined || node.after !== undefined ? (
              <div className="io-grid">
                <div>
                  <div className="small muted">Before (the past run)</div>
                  <JsonViewer value={node.before} label={`Before: ${node.nodeId}`} />
                </div>
                <div>
                  <div className="small muted">After (the candidate)</div>
                  <JsonViewer value={node.after} label={`After: ${node.nodeId}`} />
                </div>
              </div>
            ) : null}
          </div>
        ))}
      </div>
    </details>
  );
}
