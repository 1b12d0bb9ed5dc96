// The run inspector: the graph coloured by status (live), a timeline of attempts, the ledger per
// node, and the determinism check, re-run from a node and the diff of outputs.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, describeError } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { Ledger, LedgerEntry, NodeDiff, NodeType, RunStatus, RunSummary, WorkflowGraph } from '../api/types.ts';
import { paths } from '../app/router.ts';
import { formatCost, formatDate, formatDuration, shortHash } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { StatusBadge } from '../ui/status-badge.tsx';
import { DiffView } from './diff-view.tsx';
import { LedgerEntryView } from './ledger-entry-view.tsx';
import { RoutingView } from './routing-view.tsx';
import { RunGraph } from './run-graph.tsx';
import { RunTimeline } from './run-timeline.tsx';

const LIVE_MS = 1000;
const isLive = (status: string | undefined) => status === 'running' || status === 'waiting';

type Replay = { ok: boolean; error?: string } | { pending: true };

interface Comparison {
  /** The run compared against (before) and the run being compared (after). */
  before: string;
  after: string;
  diff?: NodeDiff[];
  waiting?: boolean;
  error?: string;
}

function useComparison(comparison: Comparison | undefined, setComparison: (c: Comparison) => void) {
  // A re-run's diff is only meaningful once the re-run has finished: wait for it, then fetch.
  useEffect(() => {
    if (!comparison || comparison.diff || comparison.error) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = async () => {
      try {
        const { run } = await api.get<{ run: RunSummary }>(`/runs/${encodeURIComponent(comparison.after)}`);
        if (cancelled) return;
        if (isLive(run.status)) {
          if (!comparison.waiting) setComparison({ ...comparison, waiting: true });
          timer = setTimeout(() => void step(), LIVE_MS);
          return;
        }
        const { diff } = await api.get<{ diff: NodeDiff[] }>(
          `/runs/${encodeURIComponent(comparison.after)}/diff?against=${encodeURIComponent(comparison.before)}`,
        );
        if (!cancelled) setComparison({ ...comparison, waiting: false, diff });
      } catch (reason) {
        if (!cancelled) setComparison({ ...comparison, waiting: false, error: describeError(reason) });
      }
    };
    void step();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [comparison, setComparison]);
}

export function RunPage({ runId }: { runId: string }) {
  const encoded = encodeURIComponent(runId);
  const live = useApi<{ run: RunSummary; status: RunStatus }>(`/runs/${encoded}`, {
    pollMs: LIVE_MS,
    poll: (body) => isLive(body.run.status) || isLive(body.status?.status),
  });
  const run = live.data?.run;
  const ledger = useApi<Ledger>(`/runs/${encoded}/ledger`, {
    pollMs: LIVE_MS * 1.5,
    poll: (body) => isLive(body.status),
  });
  const { reload: reloadLedger } = ledger;
  const types = useApi<{ nodeTypes: NodeType[] }>('/node-types');
  const titles = useMemo(
    () => new Map((types.data?.nodeTypes ?? []).map((type) => [type.type, type.title])),
    [types.data],
  );
  const version = useApi<{ graph: WorkflowGraph }>(
    run ? `/workflows/${encodeURIComponent(run.workflowId)}/versions/${run.version}` : undefined,
  );

  const [selected, setSelected] = useState<string | undefined>();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [replay, setReplay] = useState<Replay | undefined>();
  const [fromNode, setFromNode] = useState('');
  const [comparison, setComparison] = useState<Comparison | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  useComparison(comparison, setComparison);

  // The timeline's clock ticks while the run goes on.
  const [now, setNow] = useState(() => Date.now());
  const running = isLive(live.data?.run.status);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), LIVE_MS);
    return () => clearInterval(timer);
  }, [running]);

  // When the run ends, read the ledger once more so it shows the final outputs.
  const runStatus = run?.status;
  useEffect(() => {
    if (runStatus && !isLive(runStatus)) reloadLedger();
  }, [runStatus, reloadLedger]);

  const entries = useMemo(() => ledger.data?.entries ?? [], [ledger.data]);
  const nodeStates = live.data?.status?.nodes;
  const statusOf = useCallback(
    (nodeId: string) => {
      const state = nodeStates?.find((node) => node.id === nodeId);
      const entry = entries.find((e) => e.nodeId === nodeId);
      const status = state?.status ?? entry?.status ?? 'pending';
      const detail = state?.reason ?? state?.error ?? entry?.error ?? (entry?.tier ? `tier ${entry.tier}` : undefined);
      return detail ? { status, detail } : { status };
    },
    [nodeStates, entries],
  );

  // The ledger is read from history; the live status fills in what history does not show yet.
  const timeline = useMemo(
    () =>
      entries.map((entry): LedgerEntry => {
        const state = nodeStates?.find((node) => node.id === entry.nodeId);
        const startedAt = entry.startedAt ?? state?.startedAt;
        const endedAt = entry.endedAt ?? state?.endedAt;
        return {
          ...entry,
          status: state?.status ?? entry.status,
          ...(startedAt ? { startedAt } : {}),
          ...(endedAt ? { endedAt } : {}),
        };
      }),
    [entries, nodeStates],
  );

  const select = useCallback((nodeId: string) => {
    setSelected(nodeId);
    setFromNode(nodeId);
    setOpen((prev) => new Set(prev).add(nodeId));
    requestAnimationFrame(() =>
      document
        .querySelector(`.ledger-entry[data-node-id="${CSS.escape(nodeId)}"]`)
        ?.scrollIntoView({ block: 'nearest' }),
    );
  }, []);
  const toggle = useCallback((nodeId: string, isOpen: boolean) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (isOpen) next.add(nodeId);
      else next.delete(nodeId);
      return next;
    });
  }, []);

  const doReplay = async () => {
    setReplay({ pending: true });
    try {
      setReplay(await api.post<{ ok: boolean; error?: string }>(`/runs/${encoded}/replay`));
    } catch (reason) {
      setReplay({ ok: false, error: describeError(reason) });
    }
  };

  const doRerun = async () => {
    if (!fromNode) return;
    setActionError(undefined);
    try {
      const reply = await api.post<{ runId: string; reused: string[] }>(`/runs/${encoded}/rerun`, { fromNode });
      setComparison({ before: runId, after: reply.runId });
    } catch (reason) {
      setActionError(describeError(reason));
    }
  };

  if (!live.data || !run)
    return (
      <Page title="Run">
        <LoadState loading={live.loading} error={live.error} />
      </Page>
    );

  const rerunOf = ledger.data?.rerunOf;
  const nodeIds = version.data?.graph.nodes.map((node) => node.id) ?? entries.map((entry) => entry.nodeId);
  return (
    <Page
      title={`Run of ${run.workflowName}`}
      actions={
        run.temporalUiUrl ? (
          <a className="btn btn-quiet" href={run.temporalUiUrl} target="_blank" rel="noreferrer">
            Open in Temporal Web UI ↗
          </a>
        ) : null
      }
    >
      <dl className="facts run-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={run.status} />
          </dd>
        </div>
        <div>
          <dt>Workflow</dt>
          <dd>
            <Link href={paths.editor(run.workflowId)}>{run.workflowName}</Link> v{run.version}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationMs)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCost(run.costUsd)}</dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd>
            <code>{shortHash(run.planHash)}</code>
          </dd>
        </div>
        <div>
          <dt>Run id</dt>
          <dd>
            <code className="wrap">{run.runId}</code>
          </dd>
        </div>
        {ledger.data?.mode && ledger.data.mode !== 'live' ? (
          <div>
            <dt>Mode</dt>
            <dd>{ledger.data.mode}</dd>
          </div>
        ) : null}
      </dl>
      {ledger.data?.error ? (
        <p role="alert" className="error-text">
          {ledger.data.error}
        </p>
      ) : null}
      {live.data.status?.waitingTasks.length ? (
        <p className="notice">
          Waiting for a person:{' '}
          <Link href={paths.reviews}>{live.data.status.waitingTasks.length} task(s) in the review queue</Link>.
        </p>
      ) : null}

      {ledger.data?.routing ? <RoutingView routing={ledger.data.routing} /> : null}

      <div className="run-layout">
        <section className="panel" aria-labelledby="graph-title">
          <h3 id="graph-title">Graph</h3>
          {version.data ? (
            <RunGraph
              graph={version.data.graph}
              titles={titles}
              statusOf={statusOf}
              selected={selected}
              onSelect={select}
            />
          ) : (
            <LoadState loading={version.loading} error={version.error} />
          )}
        </section>
        <section className="panel" aria-labelledby="timeline-title">
          <h3 id="timeline-title">Timeline</h3>
          <RunTimeline now={now} entries={timeline} runStart={run.startedAt} runEnd={run.endedAt} onSelect={select} />
        </section>
      </div>

      <section className="panel" aria-labelledby="checks-title">
        <h3 id="checks-title">Replay and re-run</h3>
        <div className="action-row">
          <button
            type="button"
            className="btn"
            onClick={() => void doReplay()}
            disabled={replay !== undefined && 'pending' in replay}
          >
            Replay (determinism check)
          </button>
          {replay && 'pending' in replay ? <span className="muted">Replaying the history…</span> : null}
          {replay && 'ok' in replay ? (
            <span role="status" className={replay.ok ? 'ok-text' : 'error-text'}>
              {replay.ok
                ? 'Deterministic: the history replays against the current code.'
                : `Not deterministic: ${replay.error ?? 'replay failed'}`}
            </span>
          ) : null}
        </div>
        <div className="action-row">
          <label className="field inline">
            <span className="field-label">Re-run from node</span>
            <select aria-label="Re-run from node" value={fromNode} onChange={(e) => setFromNode(e.target.value)}>
              <option value="">Choose a node…</option>
              {nodeIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            disabled={!fromNode || isLive(run.status)}
            onClick={() => void doRerun()}
          >
            Re-run from here
          </button>
          {rerunOf ? (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => setComparison({ before: rerunOf.workflowId, after: runId })}
            >
              Compare with the original run
            </button>
          ) : null}
        </div>
        {actionError ? (
          <p role="alert" className="error-text">
            {actionError}
          </p>
        ) : null}
        {comparison ? (
          <div className="comparison">
            <p className="small">
              Comparing <Link href={paths.run(comparison.before)}>{comparison.before}</Link> (before) with{' '}
              <Link href={paths.run(comparison.after)}>{comparison.after}</Link> (after).
            </p>
            {comparison.waiting ? <p className="muted">Waiting for the re-run to finish…</p> : null}
            {comparison.error ? (
              <p role="alert" className="error-text">
                {comparison.error}
              </p>
            ) : null}
            {comparison.diff ? <DiffView diff={comparison.diff} beforeLabel="Before" afterLabel="After" /> : null}
          </div>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="ledger-title">
        <div className="panel-heading">
          <h3 id="ledger-title">Ledger</h3>
          <div>
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => setOpen(new Set(entries.map((e) => e.nodeId)))}
            >
              Expand all
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setOpen(new Set())}>
              Collapse all
            </button>
          </div>
        </div>
        <LoadState loading={ledger.loading && !ledger.data} error={ledger.error} />
        {ledger.data ? (
          <p className="muted small">
            Read from the run’s Temporal history ({ledger.data.eventCount} events). Total{' '}
            {formatCost(ledger.data.totals.costUsd)}, {ledger.data.totals.tokens} tokens,{' '}
            {ledger.data.totals.humanDecisions} human decision(s).
          </p>
        ) : null}
        {entries.map((entry) => (
          <LedgerEntryView key={entry.nodeId} entry={entry} open={open.has(entry.nodeId)} onToggle={toggle} />
        ))}
      </section>
    </Page>
  );
}
