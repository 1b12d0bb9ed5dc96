// An agent node's run as a timeline: each model call and tool call in order, the approval points
// (who decided a tool call, and how) where they happened, and the budget beside what was used.
import type { LedgerEntry } from '../api/types.ts';
import { formatCost, formatDuration } from '../ui/format.ts';
import { StatusBadge } from '../ui/status-badge.tsx';

type Timeline = NonNullable<LedgerEntry['agent']>;
type Step = Timeline['steps'][number];
type Approval = LedgerEntry['approvals'][number];

const durationOf = (step: Step) =>
  step.startedAt && step.endedAt ? new Date(step.endedAt).getTime() - new Date(step.startedAt).getTime() : undefined;

/** The decision on a tool call: its approval task's id ends with ":<node>:<step>:<call>". */
function approvalOf(nodeId: string, step: Step, approvals: Approval[]): Approval | undefined {
  if (step.kind !== 'tool' || step.call === undefined) return undefined;
  const suffix = `:${nodeId}:${step.step}:${step.call}`;
  return approvals.find((approval) => approval.taskId?.endsWith(suffix));
}

function BudgetLine({
  label,
  used,
  max,
  format,
}: {
  label: string;
  used: number;
  max: number;
  format: (n: number) => string;
}) {
  return (
    <div className="agent-budget-line">
      <span>{label}</span>
      <meter min={0} max={max} value={Math.min(used, max)} aria-label={`${label}: ${format(used)} of ${format(max)}`} />
      <span className="small muted">
        {format(used)} of {format(max)}
      </span>
    </div>
  );
}

export function AgentSteps({
  nodeId,
  timeline,
  approvals,
}: {
  nodeId: string;
  timeline: Timeline;
  approvals: Approval[];
}) {
  const { budget, used } = timeline;
  const count = (n: number) => n.toLocaleString('en');
  return (
    <section aria-label="Agent steps" className="agent-steps">
      <h4>Agent steps</h4>
      <div className="agent-budget" aria-label="Budget used">
        <BudgetLine label="Model calls" used={used.steps} max={budget.maxSteps} format={count} />
        <BudgetLine label="Tokens" used={used.tokens} max={budget.maxTokens} format={count} />
        <BudgetLine label="Cost" used={used.costUsd} max={budget.maxCostUsd} format={(n) => formatCost(n)} />
      </div>
      <ol className="agent-step-list">
        {timeline.steps.map((step) => {
          const approval = approvalOf(nodeId, step, approvals);
          return (
            <li key={step.id} data-agent-step={step.id} className={`agent-step agent-step-${step.kind}`}>
              {approval ? (
                <div className="agent-approval" data-approval-point={step.id}>
                  <StatusBadge status={approval.decision} /> {step.tool} by {approval.reviewer}
                  {approval.note ? <span className="muted"> — {approval.note}</span> : null}
                </div>
              ) : null}
              <span className="agent-step-kind">
                {step.kind === 'think' ? `Step ${step.step} · model call` : `Step ${step.step} · tool call`}
              </span>{' '}
              <span>{step.summary}</span>
              {step.policy ? <span className="muted small"> ({step.policy})</span> : null}
              <span className="muted small">
                {step.tokens !== undefined ? ` · ${count(step.tokens)} tokens` : ''}
                {step.costUsd !== undefined ? ` · ${formatCost(step.costUsd)}` : ''}
                {durationOf(step) !== undefined ? ` · ${formatDuration(durationOf(step))}` : ''}
              </span>
              {step.ok === false ? <StatusBadge status="failed" /> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
