// Canary reports: every candidate tried on a slice of the ledger, newest first, each opening its
// report (where it can be promoted). A new canary tries a workflow version, a change to one
// node's config, or a draft rule set.
import { useState } from 'react';
import { displayText } from '../../ui/display-text.ts';
import { api, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { CanaryReport } from '../../api/types.ts';
import { paths } from '../../app/router.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { formatCost, formatDate, formatPercent } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { LoadState } from '../../ui/page.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { describeCandidate, operatorName, signed } from '../control-format.ts';
import { useDirectory } from '../directory.ts';
import { CanaryDialog } from './canary-dialog.tsx';
import {
  CandidateFields,
  candidateProblem,
  emptyCandidate,
  toCandidate,
  type CandidateDraft,
} from './candidate-fields.tsx';

export function CanariesSection() {
  const dir = useDirectory();
  const [workflowId, setWorkflowId] = useState('');
  const { data, error, loading } = useApi<{ reports: CanaryReport[] }>(
    `/canaries${query({ workflowId, limit: 100 })}`,
    {
      // A canary someone else started shows as running until it has finished.
      pollMs: 4000,
      poll: (body) => body.reports.some((report) => report.status === 'running'),
    },
  );
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState<CandidateDraft>(emptyCandidate);
  const reports = data?.reports ?? [];
  const problem = candidateProblem(draft);

  return (
    <>
      <div className="section-head">
        <p className="muted small">
          A canary replays past runs (or routed events) through a candidate, with side effects and human steps taken
          from the record: nothing outside happens. A candidate goes live only from its report’s page.
        </p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            setDraft(emptyCandidate);
            setCreating(true);
          }}
        >
          Run a canary…
        </button>
      </div>
      <div className="filters">
        <label className="field">
          <span className="field-label">Workflow</span>
          <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
            <option value="">All reports</option>
            {dir.workflows.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {displayText(workflow.name)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LoadState loading={loading && !data} error={error} />
      {data && reports.length === 0 ? (
        <EmptyState title="No canary reports yet">
          <p>
            Run one for a new workflow version, a change to a node’s policy, or a draft rule set; the advisor’s
            proposals run theirs from the Advisor tab.
          </p>
        </EmptyState>
      ) : null}
      {reports.length > 0 ? (
        <table className="table" aria-label="Canary reports">
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Replayed
              </th>
              <th scope="col" className="num">
                Changed
              </th>
              <th scope="col" className="num">
                Est. false positives
              </th>
              <th scope="col" className="num">
                Cost change
              </th>
              <th scope="col">Made</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={report.id} data-report-id={report.id}>
                <td>
                  <Link href={paths.canary(report.id)}>
                    {describeCandidate(report.candidate, dir.workflowName, report.summary?.baseVersion)}
                  </Link>
                  <div className="muted small">{report.kind} canary</div>
                </td>
                <td>
                  <StatusBadge status={report.status} />
                </td>
                <td className="num">{report.summary?.runs ?? '—'}</td>
                <td className="num">{report.summary?.changedOutputs ?? '—'}</td>
                <td className="num">{formatPercent(report.summary?.estimatedFalsePositiveRate)}</td>
                <td className="num">{signed(report.summary?.costDeltaUsd, formatCost)}</td>
                <td className="cell-date">
                  {formatDate(report.createdAt)}
                  <div className="muted small">by {report.createdBy}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CanaryDialog
        title="Run a canary"
        open={creating}
        onClose={() => setCreating(false)}
        clients={dir.clients}
        blocked={problem}
        explain={
          <p>
            Past live runs of the workflow in the slice (for rules: past routed events) are replayed through the
            candidate. The report opens when every canary run has finished.
          </p>
        }
        run={(slice) => {
          const candidate = toCandidate(draft);
          if (!candidate) return Promise.reject(new Error(problem ?? 'The candidate is incomplete.'));
          return api.post<CanaryReport>('/canaries', { candidate, slice, createdBy: operatorName() });
        }}
      >
        <CandidateFields value={draft} onChange={setDraft} dir={dir} />
      </CanaryDialog>
    </>
  );
}
