import { useState } from 'react';
import { displayText } from '../ui/display-text.ts';
import { api, describeError, query } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { RunSummary, WorkflowSummary } from '../api/types.ts';
import { navigate, paths, useLocation } from '../app/router.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { formatCost, formatDate, formatDuration } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { StatusBadge } from '../ui/status-badge.tsx';

const PAGE = 50;

/** Run ids are `run:<workflow>:<key>`; the key says how it started (api, rerun, ingest…) and tells runs apart. */
function runLabel(runId: string): string {
  const key = runId.split(':').slice(2).join(':') || runId;
  return key.length > 22 ? `${key.slice(0, 21)}…` : key;
}

export function RunsPage() {
  const { search } = useLocation();
  const workflowId = search.get('workflowId') ?? '';
  const status = search.get('status') ?? '';
  const workflows = useApi<{ workflows: WorkflowSummary[] }>('/workflows');
  const first = useApi<{ runs: RunSummary[]; nextPageToken?: string }>(
    `/runs${query({ workflowId, status, limit: PAGE })}`,
    // Keep the list current while something in it is still going.
    { pollMs: 3000, poll: (body) => body.runs.some((run) => run.status === 'running') },
  );
  // Pages loaded with "Load more", for the filters they were loaded under.
  const filterKey = `${workflowId}|${status}`;
  const [pages, setPages] = useState<{ key: string; runs: RunSummary[]; next?: string }>({ key: '', runs: [] });
  const more = pages.key === filterKey ? pages : { runs: [] as RunSummary[], next: undefined };
  const [error, setError] = useState<string | undefined>();

  const setFilter = (name: 'workflowId' | 'status', value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(`/runs${text ? `?${text}` : ''}`, { replace: true });
  };

  const nextToken = more.runs.length > 0 ? more.next : first.data?.nextPageToken;
  const loadMore = async () => {
    if (!nextToken) return;
    try {
      const page = await api.get<{ runs: RunSummary[]; nextPageToken?: string }>(
        `/runs${query({ workflowId, status, limit: PAGE, pageToken: nextToken })}`,
      );
      setPages({
        key: filterKey,
        runs: [...more.runs, ...page.runs],
        ...(page.nextPageToken ? { next: page.nextPageToken } : {}),
      });
    } catch (reason) {
      setError(describeError(reason));
    }
  };

  const runs = [...(first.data?.runs ?? []), ...more.runs];
  return (
    <Page title="Runs">
      <div className="filters" role="search" aria-label="Filter runs">
        <label className="field">
          <span className="field-label">Workflow</span>
          <select aria-label="Workflow" value={workflowId} onChange={(e) => setFilter('workflowId', e.target.value)}>
            <option value="">All workflows</option>
            {(workflows.data?.workflows ?? []).map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {displayText(workflow.name)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Status</span>
          <select aria-label="Status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            <option value="running">Running</option>
            <option value="completed">Completed</option>
            <option value="failed">Failed</option>
            <option value="cancelled">Cancelled</option>
            <option value="terminated">Terminated</option>
            <option value="timed-out">Timed out</option>
          </select>
        </label>
      </div>
      <LoadState loading={first.loading && !first.data} error={first.error ?? error} />
      {first.data && runs.length === 0 ? (
        <EmptyState title="No runs match">
          <p>
            Runs appear here when a published workflow is started: from the editor’s Run button, a webhook, an email or
            a schedule.
          </p>
        </EmptyState>
      ) : null}
      {runs.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Workflow</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col" className="num">
                Cost
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId}>
                <td>
                  <Link href={paths.run(run.runId)} className="mono" title={run.runId}>
                    {runLabel(run.runId)}
                  </Link>
                </td>
                <td>
                  {run.workflowName} <span className="muted small">v{run.version}</span>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td className="cell-date">{formatDate(run.startedAt)}</td>
                <td className="num">{formatDuration(run.durationMs)}</td>
                <td className="num">{formatCost(run.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {nextToken ? (
        <button type="button" className="btn" onClick={() => void loadMore()}>
          Load more
        </button>
      ) : null}
    </Page>
  );
}
