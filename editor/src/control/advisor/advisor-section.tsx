// The policy advisor: it reads a workflow's past runs and proposes policy changes with their
// evidence (raise a confidence threshold, let a step run without a person, use the cache). A
// proposal is only a candidate: "Run canary" tries it, and only its report can be promoted.
import { useState } from 'react';
import { displayText } from '../../ui/display-text.ts';
import { api, describeError } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { CanaryReport, PolicyDecision, Proposal } from '../../api/types.ts';
import { paths } from '../../app/router.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { formatCost, formatDate, formatPercent } from '../../ui/format.ts';
import { JsonViewer } from '../../ui/json-viewer.tsx';
import { Link } from '../../ui/link.tsx';
import { LoadState } from '../../ui/page.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { toast } from '../../ui/toasts.tsx';
import { CanaryDialog } from '../canary/canary-dialog.tsx';
import { formatConfidence, operatorName } from '../control-format.ts';
import { useDirectory, type Directory } from '../directory.ts';

const kindTitles: Record<Proposal['kind'], string> = {
  'raise-min-confidence': 'Raise the minimum confidence',
  'allow-automation': 'Let it run without a person',
  'enable-cache': 'Use cached answers',
};

type Show = 'active' | 'promoted' | 'dismissed' | 'all';

/** Evidence is free-form JSON; `decisions` holds the advisor's Decision records when it is there. */
const isDecisions = (value: unknown): value is PolicyDecision[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'runId' in item);

/** The evidence as sentences and a table; anything this page does not know is shown as JSON. */
function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const {
    runs,
    actions,
    versions,
    reviewedAutomated,
    wrongAutomated,
    falsePositiveRate,
    wrongConfidences,
    decisions,
    repeatedInputs,
    repeatedCostUsd,
    policyKey: _policyKey,
    ...rest
  } = evidence;
  const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const facts: [string, string][] = [];
  if (num(runs) !== undefined) facts.push(['Past runs read', String(runs)]);
  if (num(actions) !== undefined) facts.push(['Actions', String(actions)]);
  if (Array.isArray(versions) && versions.length > 0)
    facts.push(['Versions', versions.map((v) => `v${String(v)}`).join(', ')]);
  if (num(reviewedAutomated) !== undefined)
    facts.push([
      'Automated outputs a person judged',
      `${String(reviewedAutomated)} (${num(wrongAutomated) ?? 0} corrected)`,
    ]);
  if (falsePositiveRate !== undefined) facts.push(['False-positive rate', formatPercent(num(falsePositiveRate))]);
  if (Array.isArray(wrongConfidences) && wrongConfidences.length > 0)
    facts.push([
      'Confidence of the corrected ones',
      wrongConfidences.map((c) => formatConfidence(typeof c === 'number' ? c : undefined)).join(', '),
    ]);
  if (num(repeatedInputs) !== undefined)
    facts.push(['Inputs seen before', `${String(repeatedInputs)} (${formatCost(num(repeatedCostUsd))} spent on them)`]);
  return (
    <div className="evidence">
      <h4>Evidence</h4>
      {facts.length > 0 ? (
        <dl className="facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {isDecisions(decisions) && decisions.length > 0 ? (
        <table className="table compact" aria-label="Decisions">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Decision</th>
              <th scope="col" className="num">
                Confidence
              </th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={`${d.runId}:${d.taskId ?? ''}`}>
                <td>
                  <Link href={paths.run(d.runId)} className="mono">
                    {d.runId.length > 32 ? `…${d.runId.slice(-30)}` : d.runId}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={d.decision} />{' '}
                  {d.unchanged ? <span className="small muted">unchanged</span> : null}
                </td>
                <td className="num">{formatConfidence(d.confidence)}</td>
                <td className="cell-date">{formatDate(d.decidedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {Object.keys(rest).length > 0 ? <JsonViewer value={rest} label="More evidence" /> : null}
    </div>
  );
}

/** A config patch as `path → value` lines: `policy.minConfidence → 0.72`. */
function changeLines(patch: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(patch).flatMap(([key, value]): [string, string][] =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? changeLines(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value === null ? '(removed)' : JSON.stringify(value)]],
  );
}

function ProposalCard({
  proposal,
  dir,
  onCanary,
  onDismissed,
}: {
  proposal: Proposal;
  dir: Directory;
  onCanary: () => void;
  onDismissed: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const heading = `proposal-${proposal.id}`;
  const live = proposal.status === 'open' || proposal.status === 'canaried';
  const dismiss = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/proposals/${encodeURIComponent(proposal.id)}/dismiss`);
      toast.info('Proposal dismissed.');
      onDismissed();
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="card proposal-card" aria-labelledby={heading} data-proposal-id={proposal.id}>
      <div className="task-head">
        <h3 id={heading}>
          {kindTitles[proposal.kind]}: <code>{proposal.nodeId}</code>
        </h3>
        <StatusBadge status={proposal.status} />
      </div>
      <p className="small muted">
        <Link href={paths.editor(proposal.workflowId)}>{dir.workflowName(proposal.workflowId)}</Link>
        {proposal.candidate.baseVersion ? ` v${proposal.candidate.baseVersion}` : ''} · proposed{' '}
        {formatDate(proposal.createdAt)}
      </p>
      <p>{proposal.summary}</p>
      <h4>Change to {proposal.nodeId}’s config</h4>
      <ul className="change-list" aria-label="Change">
        {changeLines(proposal.candidate.config).map(([path, value]) => (
          <li key={path}>
            <code>{path}</code> → <code className="wrap">{value}</code>
          </li>
        ))}
      </ul>
      <Evidence evidence={proposal.evidence} />
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <div className="card-actions">
        {live ? (
          <button type="button" className="btn btn-primary" onClick={onCanary} disabled={busy}>
            {proposal.reportId ? 'Run canary again…' : 'Run canary…'}
          </button>
        ) : null}
        {proposal.reportId ? (
          <Link className="btn" href={paths.canary(proposal.reportId)}>
            Open its canary report
          </Link>
        ) : null}
        {live ? (
          <button type="button" className="btn btn-quiet" onClick={() => void dismiss()} disabled={busy}>
            Dismiss
          </button>
        ) : null}
      </div>
    </li>
  );
}

export function AdvisorSection() {
  const dir = useDirectory();
  const [show, setShow] = useState<Show>('active');
  const [workflowId, setWorkflowId] = useState('');
  const [asking, setAsking] = useState(false);
  const [answer, setAnswer] = useState<string | undefined>();
  const [canaryOf, setCanaryOf] = useState<Proposal | undefined>();
  const { data, error, loading, reload } = useApi<{ proposals: Proposal[] }>('/proposals');
  const proposals = (data?.proposals ?? []).filter((proposal) =>
    show === 'all'
      ? true
      : show === 'active'
        ? proposal.status === 'open' || proposal.status === 'canaried'
        : proposal.status === show,
  );

  const ask = async () => {
    if (!workflowId) return;
    setAsking(true);
    setAnswer(undefined);
    try {
      const reply = await api.post<{ proposals: Proposal[] }>(`/workflows/${encodeURIComponent(workflowId)}/proposals`);
      const name = dir.workflowName(workflowId);
      setAnswer(
        reply.proposals.length === 0
          ? `Nothing to propose for ${name}: its past runs show no threshold that is too low, no streak of unchanged approvals, and no repeated inputs.`
          : `${reply.proposals.length} proposal${reply.proposals.length === 1 ? '' : 's'} for ${name}, below.`,
      );
      setShow('active');
      reload();
    } catch (reason) {
      setAnswer(describeError(reason));
    } finally {
      setAsking(false);
    }
  };

  return (
    <>
      <section className="panel" aria-labelledby="ask-title">
        <h3 id="ask-title">Ask the advisor</h3>
        <p className="muted small">
          It reads the workflow’s past live runs and the people’s decisions on them: a node whose automated output was
          corrected more than 20% of the time (of 3 or more judged) should ask a person more often; 3 unchanged
          approvals in a row suggest it can run without one; inputs seen before could come from the cache.
        </p>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void ask();
          }}
        >
          <label className="field">
            <span className="field-label">Workflow</span>
            <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
              <option value="">Choose a published workflow…</option>
              {dir.published.map((w) => (
                <option key={w.id} value={w.id}>
                  {displayText(w.name)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" disabled={!workflowId || asking}>
            {asking ? 'Reading past runs…' : 'Look for proposals'}
          </button>
        </form>
        {answer ? (
          <p role="status" className="small">
            {answer}
          </p>
        ) : null}
      </section>

      <div className="section-head">
        <h3>Proposals</h3>
        <label className="field inline">
          <span className="field-label">Show</span>
          <select value={show} onChange={(e) => setShow(e.target.value as Show)}>
            <option value="active">Open and canaried</option>
            <option value="promoted">Promoted</option>
            <option value="dismissed">Dismissed</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      <LoadState loading={loading && !data} error={error ?? dir.error} />
      {data && proposals.length === 0 ? (
        <EmptyState title={show === 'active' ? 'No open proposals' : 'Nothing to show'}>
          <p>
            Choose a workflow above and ask the advisor. Each proposal comes with its evidence; run its canary to see
            what it would change on past runs, and promote it from the report if it holds up.
          </p>
        </EmptyState>
      ) : null}
      <ul className="task-list">
        {proposals.map((proposal) => (
          <ProposalCard
            key={proposal.id}
            proposal={proposal}
            dir={dir}
            onCanary={() => setCanaryOf(proposal)}
            onDismissed={reload}
          />
        ))}
      </ul>

      <CanaryDialog
        title={
          canaryOf ? `Run the canary of: ${kindTitles[canaryOf.kind].toLowerCase()} (${canaryOf.nodeId})` : 'Run canary'
        }
        open={canaryOf !== undefined}
        onClose={() => setCanaryOf(undefined)}
        clients={dir.clients}
        explain={
          <p>
            Past live runs of {dir.workflowName(canaryOf?.workflowId)} in the slice are replayed with the proposed
            change to {canaryOf?.nodeId}, side effects and human steps taken from the record.
          </p>
        }
        run={(slice) =>
          api.post<CanaryReport>(`/proposals/${encodeURIComponent(canaryOf?.id ?? '')}/canary`, {
            slice,
            createdBy: operatorName(),
          })
        }
      />
    </>
  );
}
