// One canary report: what was tried on which slice of the ledger, what it changed per node (or per
// rule), how it compares with what people approved, what it costs and how long it takes. The only
// place a candidate goes live: the Promote button, refused with its reason when it cannot.
import { useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { CanaryReport, NodeStats, StoredRuleSet } from '../api/types.ts';
import { paths } from '../app/router.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { formatCost, formatDate, formatDuration, formatPercent } from '../ui/format.ts';
import { JsonViewer } from '../ui/json-viewer.tsx';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { StatusBadge } from '../ui/status-badge.tsx';
import { toast } from '../ui/toasts.tsx';
import {
  describeCandidate,
  describePromotion,
  describeSlice,
  operatorName,
  promoteBlocker,
  promoteEffect,
  signed,
} from './control-format.ts';
import { useDirectory, type Directory } from './directory.ts';
import { RunItem } from './canary/replayed-run.tsx';

const ms = (value: number) => formatDuration(value);
const usd = (value: number) => formatCost(value);

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "2 of 3 (33.3% estimated false positives)", or a dash when no person judged anything. */
function matchText(matches: number, automated: number, rate: number | null): string {
  if (automated === 0) return 'nothing to compare';
  return `${matches} of ${automated} match (${formatPercent(rate)} est. false positives)`;
}

function Summary({ report }: { report: CanaryReport }) {
  const s = report.summary;
  if (!s) return null;
  const routing = report.kind === 'routing';
  return (
    <section className="panel" aria-labelledby="outcome-title">
      <h3 id="outcome-title">Outcome</h3>
      <dl className="facts facts-large">
        <Fact term={routing ? 'Routed events replayed' : 'Past runs replayed'}>
          {s.runs}
          {s.canaryFailed > 0 ? <span className="error-text"> ({s.canaryFailed} failed)</span> : null}
        </Fact>
        <Fact term={routing ? 'Routed elsewhere' : 'Outputs changed'}>{s.changedOutputs}</Fact>
        <Fact term="Asked a person">
          {s.askedHumanBefore} before → {s.asksHumanNow} now
        </Fact>
        <Fact term="Judged by a person">{s.reviewed}</Fact>
        <Fact term="Match with the approved values">
          {matchText(s.matchesApproved, s.automatedOnReviewed, s.estimatedFalsePositiveRate)}
        </Fact>
        {!routing ? <Fact term="Side effects reused">{s.sideEffectsReused}</Fact> : null}
        {!routing ? (
          <Fact term="Cost">
            {s.costBeforeUsd === 0 && s.costAfterUsd === 0 ? (
              'no model cost, before or after'
            ) : (
              <>
                {usd(s.costBeforeUsd)} → {usd(s.costAfterUsd)}{' '}
                <span className="muted">({signed(s.costDeltaUsd, usd)})</span>
              </>
            )}
          </Fact>
        ) : null}
      </dl>
      <p className="muted small">
        {routing
          ? 'Each past event is routed again by the candidate rules with the intent and confidence it had; where a person chose in triage, the candidate’s destination is compared with their choice.'
          : 'Each past run is replayed through the candidate with its side effects and human steps taken from the record; where a person approved or corrected a node’s output, the candidate’s output is compared with the approved value.'}
      </p>
    </section>
  );
}

function NodeTable({ report, nodes }: { report: CanaryReport; nodes: NodeStats[] }) {
  const routing = report.kind === 'routing';
  return (
    <table className="table compact canary-nodes" aria-label={routing ? 'Per rule' : 'Per node'}>
      <thead>
        <tr>
          <th scope="col">{routing ? 'Rule' : 'Node'}</th>
          <th scope="col" className="num">
            {routing ? 'Events' : 'Runs'}
          </th>
          <th scope="col" className="num">
            Changed
          </th>
          {!routing ? (
            <th scope="col" className="num">
              Reused
            </th>
          ) : null}
          <th scope="col" className="num">
            Asks a person
          </th>
          <th scope="col" className="num">
            Match with approved
          </th>
          <th scope="col" className="num">
            Est. false positives
          </th>
          {!routing ? (
            <>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Mean latency
              </th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => (
          <tr key={node.nodeId} data-node-id={node.nodeId}>
            <th scope="row">
              <code>{node.nodeId}</code>
              {!routing ? <div className="muted small">{node.nodeType}</div> : null}
            </th>
            <td className="num">{node.runs}</td>
            <td className="num" data-label="changed">
              {node.changed}
            </td>
            {!routing ? <td className="num">{node.reused}</td> : null}
            <td className="num">
              {node.askedHumanBefore} → {node.asksHumanNow}
            </td>
            <td className="num" data-label="matches">
              {node.automatedOnReviewed > 0 ? `${node.matchesApproved} of ${node.automatedOnReviewed}` : '—'}
            </td>
            <td className="num" data-label="false-positives">
              {formatPercent(node.estimatedFalsePositiveRate)}
            </td>
            {!routing ? (
              <>
                <td className="num">
                  {usd(node.costBeforeUsd)} → {usd(node.costAfterUsd)}
                  <div className="muted small">{signed(node.costDeltaUsd, usd)}</div>
                </td>
                <td className="num">
                  {formatDuration(node.meanLatencyBeforeMs)} → {formatDuration(node.meanLatencyAfterMs)}
                  <div className="muted small">{signed(node.latencyDeltaMs, ms)}</div>
                </td>
              </>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PromoteDialog({
  report,
  dir,
  open,
  onClose,
  onPromoted,
}: {
  report: CanaryReport;
  dir: Directory;
  open: boolean;
  onClose: () => void;
  onPromoted: (report: CanaryReport) => void;
}) {
  const promote = async () => {
    const promoted = await api.post<CanaryReport>(`/canaries/${encodeURIComponent(report.id)}/promote`, {
      by: operatorName(),
    });
    onPromoted(promoted);
  };
  return (
    <ConfirmDialog
      title="Promote this candidate"
      open={open}
      onClose={onClose}
      action={promote}
      actionLabel="Promote"
      busyLabel="Promoting…"
    >
      <p>{promoteEffect(report.candidate, dir.workflowName)}</p>
    </ConfirmDialog>
  );
}

export function CanaryReportPage({ reportId }: { reportId: string }) {
  const dir = useDirectory();
  const loaded = useApi<CanaryReport>(`/canaries/${encodeURIComponent(reportId)}`, {
    // A canary another request started is still replaying: look again until it has finished.
    pollMs: 3000,
    poll: (body) => body.status === 'running',
  });
  const [promoted, setPromoted] = useState<CanaryReport | undefined>();
  const [confirming, setConfirming] = useState(false);
  const report = promoted ?? loaded.data;
  const ruleSetVersion = report?.candidate.kind === 'rule-set' ? report.candidate.ruleSetVersion : undefined;
  const ruleSet = useApi<{ ruleSet: StoredRuleSet }>(
    ruleSetVersion ? `/routing/rule-sets/${ruleSetVersion}` : undefined,
  );

  if (!report)
    return (
      <Page title="Canary report">
        <LoadState loading={loaded.loading} error={loaded.error} />
      </Page>
    );

  const workflowId = 'workflowId' in report.candidate ? report.candidate.workflowId : undefined;
  const workflow = dir.workflows.find((w) => w.id === workflowId);
  const blocker = promoteBlocker(report, {
    latestVersion: workflow?.latestVersion?.version,
    ruleSetStatus: ruleSet.data?.ruleSet.status,
  });
  const title = describeCandidate(report.candidate, dir.workflowName, report.summary?.baseVersion);

  return (
    <Page
      title={`Canary: ${title}`}
      actions={
        <div className="promote-box">
          <button
            type="button"
            className="btn btn-primary"
            disabled={blocker !== undefined}
            aria-describedby={blocker ? 'promote-reason' : undefined}
            onClick={() => setConfirming(true)}
          >
            Promote…
          </button>
          {blocker ? (
            <span id="promote-reason" className="muted small promote-reason">
              {blocker}
            </span>
          ) : null}
        </div>
      }
    >
      <p className="small">
        <Link href={paths.control('canaries')}>← All canary reports</Link>
      </p>
      <LoadState loading={false} error={loaded.error} />
      {report.status === 'promoted' && report.promotion ? (
        <p className="notice notice-ok" role="status">
          Promoted by {report.promotedBy ?? 'someone'} {formatDate(report.promotedAt)}:{' '}
          {describePromotion(report.promotion, dir.workflowName)}
        </p>
      ) : null}
      {report.status === 'failed' ? (
        <p role="alert" className="error-text">
          The canary failed: {report.error ?? 'no reason given'}
        </p>
      ) : null}
      {report.status === 'running' ? (
        <p role="status" className="notice">
          Still replaying the slice; this page updates when every canary run has finished.
        </p>
      ) : null}

      <section className="panel" aria-labelledby="tried-title">
        <h3 id="tried-title">What was tried</h3>
        <dl className="facts">
          <Fact term="Status">
            <StatusBadge status={report.status} />
          </Fact>
          <Fact term="Candidate">{workflowId ? <Link href={paths.editor(workflowId)}>{title}</Link> : title}</Fact>
          <Fact term="Slice">{describeSlice(report.slice, dir.clientName)}</Fact>
          <Fact term="Made by">
            {report.createdBy}, {formatDate(report.createdAt)}
          </Fact>
          {report.completedAt ? <Fact term="Finished">{formatDate(report.completedAt)}</Fact> : null}
        </dl>
        {report.candidate.kind === 'node-config' ? (
          <>
            {report.candidate.note ? <p className="small">{report.candidate.note}</p> : null}
            <h4>Change to {report.candidate.nodeId}’s config</h4>
            <JsonViewer value={report.candidate.config} label="Config change" />
          </>
        ) : null}
        {report.summary?.extraction ? (
          <p className="small">
            Intent on {report.summary.extraction.compared} past extract steps read again:{' '}
            {report.summary.extraction.changed} changed. Of {report.summary.extraction.reviewed} a person decided, the
            live model ({report.summary.extraction.liveVersion}) was right on {report.summary.extraction.liveAgrees},
            this one on {report.summary.extraction.candidateAgrees} ({report.summary.extraction.fixed} fixed,{' '}
            {report.summary.extraction.broken} broken).
          </p>
        ) : null}
        {ruleSet.data ? (
          <p className="small">
            Rules v{ruleSet.data.ruleSet.version} ({ruleSet.data.ruleSet.status}
            {ruleSet.data.ruleSet.note ? `: ${ruleSet.data.ruleSet.note}` : ''}).{' '}
            <Link href={paths.control('routing', `?draft=${ruleSet.data.ruleSet.version}`)}>See its rules</Link>
          </p>
        ) : null}
      </section>

      <Summary report={report} />

      {report.nodes && report.nodes.length > 0 ? (
        <section className="panel" aria-labelledby="nodes-title">
          <h3 id="nodes-title">{report.kind === 'routing' ? 'Per rule' : 'Per node'}</h3>
          <NodeTable report={report} nodes={report.nodes} />
        </section>
      ) : null}

      {report.runs && report.runs.length > 0 ? (
        <section className="panel" aria-labelledby="runs-title">
          <h3 id="runs-title">{report.kind === 'routing' ? 'Replayed events' : 'Replayed runs'}</h3>
          {report.runs.map((run) => (
            <RunItem key={run.pastRunId} run={run} report={report} dir={dir} />
          ))}
        </section>
      ) : null}
      {report.summary && report.summary.runs === 0 ? (
        <p className="muted">The slice held nothing to replay: the report says nothing about the candidate.</p>
      ) : null}

      <PromoteDialog
        report={report}
        dir={dir}
        open={confirming}
        onClose={() => setConfirming(false)}
        onPromoted={(next) => {
          setConfirming(false);
          setPromoted(next);
          toast.success(`Promoted: ${describePromotion(next.promotion ?? {}, dir.workflowName)}`);
          loaded.reload();
          ruleSet.reload();
        }}
      />
    </Page>
  );
}
