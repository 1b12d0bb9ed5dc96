import { getEvent } from '../../store/events.ts';
import { getReviewTask, settleReviewTask } from '../../store/review-tasks.ts';
import { getVersion } from '../../store/workflows.ts';
import type { RoutingDecision } from '../../temporal/workflows/run-types.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import { activeRuleSet } from './rule-sets.ts';
import { startRouted } from './route-event.ts';
import { getRouting, resolveRouting } from './routings.ts';
import { suggestFromChoices, type RuleSuggestion } from './suggestions.ts';

export interface TriageChoice {
  /** The workflow to run; null dismisses the event (nothing runs). */
  workflowId: string | null;
  version?: number;
  reviewer: string;
  note?: string;
}

export interface TriageResolution {
  taskId: string;
  eventId: string;
  runId?: string;
  decision: RoutingDecision;
  /** A rule the repeated choice now suggests, when this choice completed the streak. */
  suggestion?: RuleSuggestion;
}

/** The version a choice runs: the one named, else the live rules' pin for that workflow, else the latest. */
async function versionFor(deps: ControlDeps, workflowId: string, named?: number): Promise<number> {
  if (named !== undefined) return named;
  const rules = await activeRuleSet(deps.db);
  const pinned = rules.rules.find((rule) => rule.workflowId === workflowId)?.version;
  if (pinned !== undefined) return pinned;
  const latest = await getVersion(deps.db, workflowId);
  if (!latest) throw new ControlError(`workflow ${workflowId} has no published version`, 400);
  return latest.version;
}

/**
 * Records the operator's choice for a triage task and carries it out: the task is settled
 * (approved when it is the proposed workflow, edited otherwise, rejected when dismissed), the
 * choice is kept for suggestions, and the run starts with the decision in its input.
 */
export async function resolveTriage(
  deps: ControlDeps,
  taskId: string,
  choice: TriageChoice,
): Promise<TriageResolution> {
  const task = await getReviewTask(deps.db, taskId);
  if (!task || task.kind !== 'triage') throw new ControlError(`triage task ${taskId} does not exist`, 404);
  const eventId = task.runId;
  const event = await getEvent(deps.db, eventId);
  const routing = await getRouting(deps.db, eventId);
  if (!event || !routing) throw new ControlError(`event ${eventId} of task ${taskId} was not routed`, 404);
  if (!choice.reviewer.trim()) throw new ControlError('reviewer is required', 400);

  const version = choice.workflowId ? await versionFor(deps, choice.workflowId, choice.version) : undefined;
  const value = choice.workflowId ? { workflowId: choice.workflowId, version } : undefined;
  const proposed = task.proposed as { workflowId?: string } | undefined;
  const state = !value ? 'rejected' : proposed?.workflowId === value.workflowId ? 'approved' : 'edited';
  if (task.state === 'pending') {
    await settleReviewTask(deps.db, {
      taskId,
      state,
      reviewer: choice.reviewer,
      ...(state === 'edited' ? { value } : {}),
      ...(choice.note ? { note: choice.note } : {}),
    });
  } else if (task.state !== state || task.reviewer !== choice.reviewer) {
    throw new ControlError(`triage task ${taskId} is already ${task.state}`);
  }

  await deps.db.query(
    `insert into control_triage_choices (task_id, event_id, intent, confidence, client_id, source_kind, workflow_id, version, reviewer)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (task_id) do nothing`,
    [
      taskId,
      eventId,
      routing.intent ?? null,
      routing.confidence ?? null,
      routing.clientId ?? null,
      routing.sourceKind ?? null,
      choice.workflowId,
      version ?? null,
      choice.reviewer,
    ],
  );

  const decision: RoutingDecision = {
    ...routing.decision,
    reason: choice.workflowId
      ? `triage: ${choice.reviewer} chose ${choice.workflowId} v${version} (${routing.decision.reason})`
      : `triage: ${choice.reviewer} dismissed the event (${routing.decision.reason})`,
    triageTaskId: taskId,
    chosenBy: choice.reviewer,
    ...(choice.workflowId ? { workflowId: choice.workflowId, version } : {}),
  };
  if (!choice.workflowId || version === undefined) {
    await resolveRouting(deps.db, eventId, { outcome: 'dismissed', decision });
    return { taskId, eventId, decision };
  }
  const started = await startRouted(deps, event, { workflowId: choice.workflowId, version }, decision, {
    event,
  });
  await resolveRouting(deps.db, eventId, {
    outcome: 'run',
    workflowId: choice.workflowId,
    version,
    runId: started.runId,
    decision: started.decision,
  });
  const suggestion = await suggestFromChoices(deps.db, { intent: routing.intent, clientId: routing.clientId });
  return { taskId, eventId, runId: started.runId, decision: started.decision, ...(suggestion ? { suggestion } : {}) };
}
