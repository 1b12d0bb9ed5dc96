// Rules the router learned from triage: the same choice for one intent and client, three times in
// a row. Accepting writes the rule into a draft (first, before the live rules); dismissing keeps it out.
import { useState } from 'react';
import { api, describeError, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { RuleSuggestion, StoredRuleSet } from '../../api/types.ts';
import { navigate, paths } from '../../app/router.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { formatDate } from '../../ui/format.ts';
import { LoadState } from '../../ui/page.tsx';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { toast } from '../../ui/toasts.tsx';
import { formatConfidence, operatorName } from '../control-format.ts';
import { useDirectory, type Directory } from '../directory.ts';

function SuggestionCard({
  suggestion,
  dir,
  onDecided,
}: {
  suggestion: RuleSuggestion;
  dir: Directory;
  onDecided: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const heading = `suggestion-${suggestion.id}`;
  const from = suggestion.clientId ? ` from ${dir.clientName(suggestion.clientId)}` : '';

  const decide = async (action: 'accept' | 'dismiss') => {
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'accept') {
        const { ruleSet } = await api.post<{ ruleSet: StoredRuleSet }>(
          `/routing/suggestions/${encodeURIComponent(suggestion.id)}/accept`,
          { by: operatorName() },
        );
        toast.success(`The rule is in draft rules v${ruleSet.version}. Run its canary before it goes live.`);
        navigate(paths.control('routing', `?draft=${ruleSet.version}`));
        return;
      }
      await api.post(`/routing/suggestions/${encodeURIComponent(suggestion.id)}/dismiss`, { by: operatorName() });
      toast.info('Suggestion dismissed.');
      onDecided();
    } catch (reason) {
      setError(describeError(reason));
      setBusy(false);
    }
  };

  return (
    <li className="card suggestion-card" aria-labelledby={heading} data-suggestion-id={suggestion.id}>
      <div className="task-head">
        <h3 id={heading}>
          Route {suggestion.intent}
          {from} to {dir.workflowName(suggestion.workflowId)}?
        </h3>
        <StatusBadge status={suggestion.status} />
      </div>
      <p className="small">
        A person chose <strong>{dir.workflowName(suggestion.workflowId)}</strong> (v{suggestion.version}) for{' '}
        <strong>{suggestion.evidence.length} identical triage choices</strong> in a row: intent {suggestion.intent}
        {from}. The rule would take such events at {formatConfidence(suggestion.minConfidence)} confidence or more.
      </p>
      <table className="table compact" aria-label="Evidence">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col" className="num">
              Confidence
            </th>
            <th scope="col">Chosen by</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {suggestion.evidence.map((item) => (
            <tr key={item.taskId}>
              <td>
                <code className="wrap">{item.eventId}</code>
              </td>
              <td className="num">{formatConfidence(item.confidence)}</td>
              <td>{item.reviewer}</td>
              <td className="cell-date">{formatDate(item.chosenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {suggestion.status === 'open' ? (
        <div className="card-actions">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void decide('accept')}>
            Accept as a draft rule
          </button>
          <button type="button" className="btn btn-quiet" disabled={busy} onClick={() => void decide('dismiss')}>
            Dismiss
          </button>
        </div>
      ) : suggestion.ruleSetVersion ? (
        <p className="small muted">Written into draft rules v{suggestion.ruleSetVersion}.</p>
      ) : null}
    </li>
  );
}

export function SuggestionsSection() {
  const [status, setStatus] = useState<RuleSuggestion['status']>('open');
  const dir = useDirectory();
  const { data, error, loading, reload } = useApi<{ suggestions: RuleSuggestion[] }>(
    `/routing/suggestions${query({ status })}`,
  );
  const suggestions = data?.suggestions ?? [];
  return (
    <>
      <div className="filters">
        <label className="field">
          <span className="field-label">Show</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as RuleSuggestion['status'])}>
            <option value="open">Open suggestions</option>
            <option value="accepted">Accepted</option>
            <option value="dismissed">Dismissed</option>
          </select>
        </label>
      </div>
      <LoadState loading={loading && !data} error={error} />
      {data && suggestions.length === 0 ? (
        <EmptyState title={status === 'open' ? 'No suggested rules' : `Nothing ${status}`}>
          <p>
            When a person routes the same kind of message from the same client to the same workflow three times in a row
            in triage, the router suggests a rule for it here.
          </p>
        </EmptyState>
      ) : null}
      <ul className="task-list">
        {suggestions.map((suggestion) => (
          <SuggestionCard key={suggestion.id} suggestion={suggestion} dir={dir} onDecided={reload} />
        ))}
      </ul>
    </>
  );
}
