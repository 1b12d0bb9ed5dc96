// What the router did with recent events: each event's intent and confidence, the rule that took
// it, and where it went — a run (linked), a triage task (linked to the queue), or dismissed.
import { useState } from 'react';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { Routing } from '../../api/types.ts';
import { navigate, paths, useLocation } from '../../app/router.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { formatDate } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { LoadState } from '../../ui/page.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { ClientField } from '../client-field.tsx';
import { formatConfidence } from '../control-format.ts';
import { useDirectory, type Directory } from '../directory.ts';

/** The API lists routings oldest first (the slice a canary replays); this reads a period and turns it round. */
const READ_AT_MOST = 2000;
const SHOWN = 200;

const periods = [
  { id: '1', label: 'Last 24 hours' },
  { id: '7', label: 'Last 7 days' },
  { id: '30', label: 'Last 30 days' },
] as const;

function Destination({ routing, dir }: { routing: Routing; dir: Directory }) {
  const { decision } = routing;
  const waiting = routing.outcome === 'triage';
  return (
    <>
      {routing.workflowId && routing.outcome === 'run' ? (
        <div>
          {dir.workflowName(routing.workflowId)} <span className="muted small">v{routing.version ?? '?'}</span>
        </div>
      ) : null}
      {waiting ? <div>a person picks</div> : null}
      {routing.outcome === 'dismissed' ? <div className="muted">dismissed</div> : null}
      <div className="small routing-links">
        {routing.runId ? <Link href={paths.run(routing.runId)}>Open run</Link> : null}
        {routing.triageTaskId && waiting ? (
          <Link href={paths.reviewsOf('triage')}>Open triage task</Link>
        ) : routing.triageTaskId ? (
          <span className="muted">chosen in triage{decision.chosenBy ? ` by ${decision.chosenBy}` : ''}</span>
        ) : null}
      </div>
      {decision.start?.waitedUntil ? (
        <div className="muted small">starts {formatDate(decision.start.waitedUntil)}</div>
      ) : null}
    </>
  );
}

export function RoutingsSection() {
  const dir = useDirectory();
  // The filters live in the address: the back button from a run lands on the same list.
  const { search } = useLocation();
  const days = periods.find((period) => period.id === search.get('days'))?.id ?? '7';
  const clientId = search.get('clientId') ?? '';
  const setFilter = (name: 'days' | 'clientId', value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(paths.control('routings', text ? `?${text}` : ''), { replace: true });
  };
  // The period ends when the page opened (fixed, so that a re-render does not fetch again).
  const [openedAt] = useState(() => Date.now());
  const from = new Date(openedAt - Number(days) * 86_400_000).toISOString();
  const { data, error, loading } = useApi<{ routings: Routing[] }>(
    `/routing/routings${query({ from, clientId, limit: READ_AT_MOST })}`,
  );
  const all = data?.routings ?? [];
  const newest = [...all].reverse().slice(0, SHOWN);
  const counts = { run: 0, triage: 0, dismissed: 0 };
  for (const routing of all) counts[routing.outcome] += 1;

  return (
    <>
      <div className="filters" role="search" aria-label="Filter routings">
        <label className="field">
          <span className="field-label">Period</span>
          <select value={days} onChange={(e) => setFilter('days', e.target.value)}>
            {periods.map((period) => (
              <option key={period.id} value={period.id}>
                {period.label}
              </option>
            ))}
          </select>
        </label>
        <ClientField
          label="Client"
          value={clientId}
          onChange={(value) => setFilter('clientId', value)}
          clients={dir.clients}
        />
      </div>
      <LoadState loading={loading && !data} error={error ?? dir.error} />
      {data && all.length === 0 ? (
        <EmptyState title="No routed events in this period">
          <p>
            Every event that arrives (a webhook, an email, a document) is classified and routed by the live rules: to a
            workflow, or to a person in triage. Events a source’s wiring takes when no rule matches are not listed.
          </p>
        </EmptyState>
      ) : null}
      {all.length > 0 ? (
        <p className="muted small" role="status">
          {all.length} routed event{all.length === 1 ? '' : 's'}: {counts.run} started a run, {counts.triage} wait in
          triage, {counts.dismissed} dismissed.
          {all.length > SHOWN ? ` The newest ${SHOWN} are shown.` : ''}
          {all.length >= READ_AT_MOST
            ? ` Only the first ${READ_AT_MOST} of the period were read: choose a shorter one.`
            : ''}
        </p>
      ) : null}
      {newest.length > 0 ? (
        <table className="table compact" aria-label="Recent routings">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Intent</th>
              <th scope="col" className="num">
                Confidence
              </th>
              <th scope="col">Rule</th>
              <th scope="col">Outcome</th>
              <th scope="col">Went to</th>
            </tr>
          </thead>
          <tbody>
            {newest.map((routing) => (
              <tr key={routing.eventId} data-event-id={routing.eventId}>
                <td className="cell-date">{formatDate(routing.createdAt)}</td>
                <td>
                  <code className="wrap">{routing.eventId}</code>
                  <div className="muted small">
                    {routing.sourceKind ?? 'unknown source'}
                    {routing.clientId ? ` · ${dir.clientName(routing.clientId)}` : ''}
                  </div>
                </td>
                <td>{routing.intent ?? <span className="muted">—</span>}</td>
                <td className="num">{formatConfidence(routing.confidence)}</td>
                <td>
                  {routing.ruleId ? <code>{routing.ruleId}</code> : <span className="muted">default</span>}
                  {routing.ruleSetVersion !== undefined ? (
                    <div className="muted small">rules v{routing.ruleSetVersion}</div>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={routing.outcome} />
                </td>
                <td>
                  <Destination routing={routing} dir={dir} />
                  <div className="muted small clamp-2" title={routing.decision.reason}>
                    {routing.decision.reason}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
