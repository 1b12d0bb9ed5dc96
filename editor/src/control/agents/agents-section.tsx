// The agent registry: each node type that acts, with its role, what it serves, its budgets and
// what it spent this month. Budgets, role and on/off are the operator's to change.
import { useState } from 'react';
import { api, describeError } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { AgentBudget, AgentWithSpend } from '../../api/types.ts';
import { Dialog } from '../../ui/dialog.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { formatCost, formatDuration } from '../../ui/format.ts';
import { LoadState } from '../../ui/page.tsx';
import { toast } from '../../ui/toasts.tsx';

const overBudget: Record<AgentBudget['onOverBudget'], string> = {
  degrade: 'use a cheaper tier',
  human: 'ask a person',
  wait: 'wait for next month',
};

const tiers: Record<AgentWithSpend['tier'], string> = {
  none: 'no model',
  cached: 'cached answers',
  local: 'local model',
  provider: 'model provider',
  human: 'a person',
};

/** A latency budget: seconds for models, days for people (a review may take a year). */
function formatLatency(ms: number): string {
  return ms >= 172_800_000 ? `${Math.round(ms / 86_400_000)} days` : formatDuration(ms);
}

function Spend({ agent }: { agent: AgentWithSpend }) {
  const { spend, budget } = agent;
  if (budget.perMonthUsd === 0 && spend.costUsd === 0)
    return <span className="muted">{spend.calls > 0 ? `${spend.calls} calls, no cost` : 'nothing'}</span>;
  return (
    <div className="spend">
      <div>
        {formatCost(spend.costUsd)} <span className="muted small">of {formatCost(budget.perMonthUsd)}</span>
      </div>
      {budget.perMonthUsd > 0 ? (
        <meter
          min={0}
          max={budget.perMonthUsd}
          low={budget.perMonthUsd * 0.8}
          high={budget.perMonthUsd * 0.95}
          optimum={0}
          value={Math.min(spend.costUsd, budget.perMonthUsd)}
          aria-label={`${agent.id}: spent this month`}
        />
      ) : null}
      <div className="muted small">
        {spend.calls} call{spend.calls === 1 ? '' : 's'}
        {spend.overBudget ? null : `, ${formatCost(spend.remainingUsd)} left`}
      </div>
      {spend.overBudget ? <span className="badge badge-failed">over budget</span> : null}
    </div>
  );
}

function EditAgent({ agent, onClose, onSaved }: { agent: AgentWithSpend; onClose: () => void; onSaved: () => void }) {
  const [perActionUsd, setPerAction] = useState(String(agent.budget.perActionUsd));
  const [perMonthUsd, setPerMonth] = useState(String(agent.budget.perMonthUsd));
  const [latencyMs, setLatency] = useState(String(agent.budget.latencyMs));
  const [onOver, setOnOver] = useState(agent.budget.onOverBudget);
  const [role, setRole] = useState(agent.role);
  const [enabled, setEnabled] = useState(agent.enabled);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const numbers = {
    perActionUsd: Number(perActionUsd),
    perMonthUsd: Number(perMonthUsd),
    latencyMs: Number(latencyMs),
  };
  const invalid =
    perActionUsd.trim() === '' || !(numbers.perActionUsd >= 0)
      ? 'The per-action budget must be 0 or more.'
      : perMonthUsd.trim() === '' || !(numbers.perMonthUsd >= 0)
        ? 'The monthly budget must be 0 or more.'
        : !Number.isInteger(numbers.latencyMs) || numbers.latencyMs < 1
          ? 'The latency budget must be a whole number of milliseconds, 1 or more.'
          : role.trim() === ''
            ? 'Say what it does.'
            : undefined;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`/agents/${encodeURIComponent(agent.id)}`, {
        budget: { ...numbers, onOverBudget: onOver },
        enabled,
        role: role.trim(),
      });
      toast.success(`${agent.id}: saved.`);
      onSaved();
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label={`Budgets of ${agent.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) void save();
      }}
    >
      <div className="field-row">
        <label className="field">
          <span className="field-label">Per action (USD)</span>
          <input type="number" min={0} step="any" value={perActionUsd} onChange={(e) => setPerAction(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Per month (USD)</span>
          <input type="number" min={0} step="any" value={perMonthUsd} onChange={(e) => setPerMonth(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Latency budget (ms)</span>
          <input type="number" min={1} step={1} value={latencyMs} onChange={(e) => setLatency(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span className="field-label">Over budget</span>
        <select value={onOver} onChange={(e) => setOnOver(e.target.value as AgentBudget['onOverBudget'])}>
          {Object.entries(overBudget).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Role</span>
        <textarea rows={2} maxLength={500} value={role} onChange={(e) => setRole(e.target.value)} />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      {invalid || error ? (
        <p role="alert" className="error-text">
          {invalid ?? error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || Boolean(invalid)}>
          Save
        </button>
      </div>
    </form>
  );
}

export function AgentsSection() {
  const { data, error, loading, reload } = useApi<{ agents: AgentWithSpend[] }>('/agents');
  const [editing, setEditing] = useState<AgentWithSpend | undefined>();
  const agents = data?.agents ?? [];
  const month = agents[0]?.spend.month;
  return (
    <>
      <p className="muted small">
        Each node type that acts is an agent: the most expensive model tier it may use, what it serves, and what it may
        spend per action and per calendar month (UTC){month ? `; spend shown for ${month}` : ''}. When a budget runs
        out, the agent does what its “over budget” says.
      </p>
      <LoadState loading={loading && !data} error={error} />
      {data && agents.length === 0 ? (
        <EmptyState title="No agents">
          <p>The server adds the built-in node types as agents when it starts.</p>
        </EmptyState>
      ) : null}
      {agents.length > 0 ? (
        <table className="table compact agents-table" aria-label="Agents">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Tier</th>
              <th scope="col">Serves</th>
              <th scope="col" className="num">
                Per action
              </th>
              <th scope="col" className="num">
                Per month
              </th>
              <th scope="col">Spent this month</th>
              <th scope="col" className="num">
                Latency
              </th>
              <th scope="col">Over budget</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.id} data-agent-id={agent.id} className={agent.enabled ? undefined : 'is-disabled'}>
                <th scope="row">
                  <code>{agent.id}</code>
                  {agent.enabled ? null : <span className="badge badge-off">off</span>}
                  <div className="muted small agent-role">{agent.role}</div>
                </th>
                <td>{tiers[agent.tier]}</td>
                <td>
                  {agent.capabilities.intents.length > 0 ? (
                    <ul className="chips" aria-label="Intents">
                      {agent.capabilities.intents.map((intent) => (
                        <li key={intent} className="chip">
                          {intent}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {agent.capabilities.nodeTypes.some((type) => type !== agent.nodeType) ? (
                    <div className="small">
                      <span className="muted">steps </span>
                      {agent.capabilities.nodeTypes.join(', ')}
                    </div>
                  ) : agent.capabilities.intents.length === 0 ? (
                    <span className="muted small">its own steps</span>
                  ) : null}
                </td>
                <td className={agent.budget.perActionUsd === 0 ? 'num muted' : 'num'} data-label="per-action">
                  {formatCost(agent.budget.perActionUsd)}
                </td>
                <td className={agent.budget.perMonthUsd === 0 ? 'num muted' : 'num'} data-label="per-month">
                  {formatCost(agent.budget.perMonthUsd)}
                </td>
                <td>
                  <Spend agent={agent} />
                </td>
                <td className="num">{formatLatency(agent.budget.latencyMs)}</td>
                <td>{overBudget[agent.budget.onOverBudget]}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="btn"
                    aria-label={`Edit ${agent.id}`}
                    onClick={() => setEditing(agent)}
                  >
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Dialog
        title={editing ? `Edit ${editing.id}` : 'Edit agent'}
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
      >
        {editing ? (
          <EditAgent
            key={editing.id}
            agent={editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              reload();
            }}
          />
        ) : null}
      </Dialog>
    </>
  );
}
