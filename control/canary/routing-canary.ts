import { ExpressionError } from '../../nodes/sdk/expression.ts';
import { getEvent } from '../../store/events.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import { evaluateRules, type Evaluation } from '../router/evaluate.ts';
import { InputMappingError, mapInput, ruleLabel } from '../router/input-mapping.ts';
import { getRuleSet } from '../router/rule-sets.ts';
import { listRoutings, type Routing } from '../router/routings.ts';
import type { CanarySlice } from '../schemas/canary.ts';
import { aggregate, type NodeObservation } from './compare.ts';
import { completeReport, type CanaryRun } from './reports.ts';
import { summarize } from './summary.ts';

const bucket = (evaluation: Evaluation) =>
  evaluation.ruleId ?? (evaluation.outcome === 'run' ? '(default)' : '(no rule)');

/** Where the event went: a workflow id, `triage`, or `dismissed`. */
function whereBefore(routing: Routing): string {
  if (routing.outcome === 'dismissed') return 'dismissed';
  if (routing.triageTaskId && !routing.decision.chosenBy) return 'triage';
  return routing.workflowId ?? 'triage';
}

/** One routed event under the candidate rules, as an observation of the rule that now decides it. */
export function observeRouting(routing: Routing, evaluation: Evaluation): NodeObservation {
  const triaged = routing.triageTaskId !== undefined;
  const chosen =
    triaged && routing.decision.chosenBy ? (routing.outcome === 'run' ? routing.workflowId : null) : undefined;
  const before = whereBefore(routing);
  const after = evaluation.outcome === 'run' ? evaluation.target.workflowId : 'triage';
  const automatedNow = evaluation.outcome === 'run';
  const observation: NodeObservation = {
    nodeId: bucket(evaluation),
    nodeType: 'routing-rule',
    reused: false,
    changed: before !== after,
    askedHumanBefore: triaged,
    asksHumanNow: !automatedNow,
    automatedNow,
    costBeforeUsd: 0,
    costAfterUsd: 0,
    before,
    after,
    note: evaluation.reason,
  };
  if (chosen !== undefined) {
    observation.verdict = chosen === null ? 'rejected' : 'edited';
    if (automatedNow) observation.matchesApproved = chosen !== null && chosen === after;
  }
  return observation;
}

/** Replays the routing of past events (their stored intent and confidence) through a draft rule set. */
export async function runRoutingCanary(
  deps: ControlDeps,
  id: string,
  version: number,
  slice: CanarySlice,
): Promise<void> {
  const draft = await getRuleSet(deps.db, version);
  if (!draft) throw new ControlError(`rule set ${version} does not exist`, 404);
  const routings = await listRoutings(deps.db, {
    ...(slice.from ? { from: slice.from } : {}),
    ...(slice.to ? { to: slice.to } : {}),
    ...(slice.clientId ? { clientId: slice.clientId } : {}),
    limit: slice.limit ?? 200,
  });
  const observed = routings.map((routing) => {
    const evaluation = evaluateRules(draft, {
      intent: routing.intent ?? 'other',
      confidence: routing.confidence ?? 0,
      sourceKind: routing.sourceKind ?? '',
      ...(routing.clientId ? { clientId: routing.clientId } : {}),
      ...(routing.projectId ? { projectId: routing.projectId } : {}),
    });
    return { routing, evaluation, observation: observeRouting(routing, evaluation) };
  });
  const nodes = aggregate(observed.map((o) => [o.observation]));
  const mappings = mappingReplay(deps);
  const runs: CanaryRun[] = [];
  for (const { routing, evaluation, observation } of observed) {
    const error = await mappings.failure(routing, evaluation);
    runs.push({
      pastRunId: routing.eventId,
      status: error ? 'failed' : 'completed',
      ...(error ? { error } : {}),
      nodes: [observation],
    });
  }
  await completeReport(deps.db, id, { summary: summarize(`rules v${version}`, nodes, runs), nodes, runs });
}

/**
 * Runs the input mapping a draft rule would give each past event, as routing it live would: a
 * mapping that fails makes the run fail in the report (and the report unpromotable). A mapping
 * that ran out of its budget once is not run again on the other events: it already disqualifies
 * the draft, and each try would cost its whole time budget.
 */
function mappingReplay(deps: ControlDeps) {
  const exhausted = new Map<string, string>();
  return {
    async failure(routing: Routing, evaluation: Evaluation): Promise<string | undefined> {
      if (evaluation.outcome !== 'run' || !evaluation.target.inputMapping) return undefined;
      const mapping = evaluation.target.inputMapping;
      const before = exhausted.get(mapping);
      if (before) return before;
      const event = await getEvent(deps.db, routing.eventId);
      if (!event) return `event ${routing.eventId} is no longer stored: its input mapping cannot be tried`;
      try {
        await mapInput(mapping, event, ruleLabel(evaluation.ruleId));
        return undefined;
      } catch (error) {
        if (!(error instanceof InputMappingError)) throw error;
        const cause = error.cause;
        if (cause instanceof ExpressionError && cause.failure !== 'evaluation') exhausted.set(mapping, error.message);
        return error.message;
      }
    },
  };
}
