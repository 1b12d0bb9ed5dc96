import type { Event } from '../../schemas/event.ts';
import { createReviewTask } from '../../store/review-tasks.ts';
import { getVersion } from '../../store/workflows.ts';
import { runWorkflowId } from '../../temporal/runs.ts';
import type { RoutingDecision, RunInput } from '../../temporal/workflows/run-types.ts';
import { spentAgentsOf } from '../agents/registry.ts';
import { ControlError, nowOf, type ControlDeps } from '../deps.ts';
import { getRunPolicy, planStart } from '../policy/run-policy.ts';
import { startControlledRun } from '../start-run.ts';
import { classifyEvent } from './classify.ts';
import { evaluateRules, type RoutingFacts, type TriageCandidate } from './evaluate.ts';
import { mapInput, ruleLabel } from './input-mapping.ts';
import { activeRuleSet } from './rule-sets.ts';
import { claimRouting, type Routing } from './routings.ts';

export interface RouteResult {
  eventId: string;
  /** The event was routed before: nothing new was started or asked. */
  duplicate: boolean;
  outcome: Routing['outcome'];
  decision: RoutingDecision;
  /** The run's Temporal workflow id (the API's runId). */
  runId?: string;
  triageTaskId?: string;
}

/** One run per event whatever the workflow: `run:<workflow>:route:<eventId>`. */
export const routeKey = (eventId: string) => `route:${eventId}`;
export const triageTaskId = (eventId: string) => `triage:${eventId}`;

export interface StartOptions {
  /** A deadline for Temporal's answer to the start (ingest defers the run rather than wait). */
  startWithinMs?: number;
}

/** The run's Temporal workflow id for a routed event, known before it is started. */
export const routedRunId = (workflowId: string, eventId: string) => runWorkflowId(workflowId, routeKey(eventId));

/**
 * Starts the run a routing decided, idempotently: the workflow id comes from the event, so a
 * retry after a crash (or a duplicate) finds the same run instead of starting another.
 */
export async function startRouted(
  deps: ControlDeps,
  event: Event,
  target: { workflowId: string; version: number },
  decision: RoutingDecision,
  trigger: RunInput['trigger'],
  options: StartOptions = {},
): Promise<{ runId: string; decision: RoutingDecision }> {
  const published = await getVersion(deps.db, target.workflowId, target.version);
  if (!published) throw new ControlError(`workflow ${target.workflowId} has no version ${target.version}`, 404);
  const now = nowOf(deps);
  const policy = await getRunPolicy(deps.db, target.workflowId);
  const spent = await spentAgentsOf(
    deps.db,
    published.plan.nodes.map((node) => node.type),
    now,
  );
  const start = decision.start
    ? { decision: decision.start, startAt: waitedUntil(decision) }
    : planStart(policy, now, spent);
  const withStart: RoutingDecision = { ...decision, start: start.decision };
  const begin = () =>
    startControlledRun(deps.temporal, {
      taskQueue: deps.taskQueue,
      plan: published.plan,
      workflow: { id: target.workflowId, version: published.version },
      trigger,
      idempotencyKey: routeKey(event.id),
      input: { routing: withStart },
      ...(start.startAt ? { startAt: start.startAt } : {}),
      now,
    });
  const { workflowId } = options.startWithinMs
    ? await deps.temporal.withDeadline(Date.now() + options.startWithinMs, begin)
    : await begin();
  return { runId: workflowId, decision: withStart };
}

const waitedUntil = (decision: RoutingDecision) =>
  decision.start?.waitedUntil ? new Date(decision.start.waitedUntil) : undefined;

function triageValueSchema(candidates: TriageCandidate[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['workflowId'],
    properties: {
      workflowId: {
        type: 'string',
        minLength: 1,
        title: 'Workflow',
        ...(candidates.length > 0 ? { examples: candidates.map((c) => c.workflowId) } : {}),
      },
      version: { type: 'integer', minimum: 1, title: 'Version (default: the routed or latest one)' },
    },
  };
}

/**
 * An event rejected at ingest (not JSON, nested too deeply, a reused key …) is no routing question:
 * its task shows the error and offers only to discard it; the fix is at the source, which sends again.
 */
async function reportUnreadable(deps: ControlDeps, event: Event, routing: Routing): Promise<string> {
  const id = triageTaskId(event.id);
  const reason = event.rejection?.reason ?? 'invalid input';
  const errors = event.rejection?.errors ?? [];
  const from = event.actor.name ?? event.source.kind;
  await createReviewTask(deps.db, {
    id,
    kind: 'triage',
    runId: event.id,
    workflowId: 'control:router',
    nodeId: 'router',
    title: `Unreadable input from ${from}: ${reason}`.slice(0, 200),
    instructions:
      `This ${event.source.kind} delivery could not be read (${errors.map((e) => `${e.pointer} ${e.message}`).join('; ') || reason}), ` +
      'so it is not offered to any workflow. Discard it (reject), or fix the source and send it again; ' +
      'its bytes are kept with the event.',
    reason: routing.decision.reason,
    context: { event, unreadable: { reason, errors } },
  });
  return id;
}

/** A triage task in the review queue: the operator picks the workflow; approving takes the first candidate. */
async function askOperator(deps: ControlDeps, event: Event, routing: Routing): Promise<string> {
  if (event.status === 'rejected') return reportUnreadable(deps, event, routing);
  const id = triageTaskId(event.id);
  const candidates = routing.candidates ?? [];
  const subject = typeof event.payload.subject === 'string' ? event.payload.subject.slice(0, 120) : event.type;
  await createReviewTask(deps.db, {
    id,
    kind: 'triage',
    runId: event.id,
    workflowId: 'control:router',
    nodeId: 'router',
    title: `Which workflow handles "${subject}"?`,
    instructions:
      'Pick the workflow for this event. Your choice starts the run; the same choice made again for this kind of message and client becomes a suggested rule.',
    reason: routing.decision.reason,
    context: {
      event,
      intent: { label: routing.intent, confidence: routing.confidence },
      candidates,
    },
    ...(candidates[0] ? { proposed: { workflowId: candidates[0].workflowId, version: candidates[0].version } } : {}),
    valueSchema: triageValueSchema(candidates),
  });
  return id;
}

/**
 * Starts the run of a stored 'run' routing and records its id on the routing (once). Also what the
 * run-start outbox calls for a routed run deferred while Temporal was unreachable.
 */
export async function startRoutedRun(
  deps: ControlDeps,
  event: Event,
  routing: Routing,
  options: StartOptions = {},
): Promise<{ runId: string; decision: RoutingDecision }> {
  if (routing.outcome !== 'run' || !routing.workflowId || routing.version === undefined)
    throw new ControlError(`event ${event.id} was not routed to a run`);
  const started = await startRouted(
    deps,
    event,
    { workflowId: routing.workflowId, version: routing.version },
    routing.decision,
    routing.trigger ?? { event },
    options,
  );
  if (!routing.runId) {
    await deps.db.query(
      'update control_routings set run_id = $2, decision = jsonb_set(decision, $3, $4::jsonb) where event_id = $1',
      [event.id, started.runId, '{decision}', JSON.stringify(started.decision)],
    );
  }
  return started;
}

/**
 * Routes a stored event: its intent from the extract node's local tier, then the live rule set.
 * A match at or above the rule's confidence starts the pinned workflow version (its routing in
 * the run's input, so the ledger shows it); otherwise the operator triages. An event routes once.
 */
export async function routeEvent(deps: ControlDeps, event: Event, options: StartOptions = {}): Promise<RouteResult> {
  const ruleSet = await activeRuleSet(deps.db);
  const rejected = event.status === 'rejected';
  const classification = rejected
    ? { intent: 'other', confidence: 0, notes: [] as string[] }
    : await classifyEvent(deps, event);
  const facts: RoutingFacts = {
    intent: classification.intent,
    confidence: classification.confidence,
    sourceKind: event.source.kind,
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(event.projectId ? { projectId: event.projectId } : {}),
  };
  const evaluation = rejected
    ? {
        outcome: 'triage' as const,
        reason: `the event was rejected at ingest: ${event.rejection?.reason ?? 'invalid'}`,
        candidates: [],
      }
    : evaluateRules(ruleSet, facts);
  const notes = classification.notes.length > 0 ? ` (${classification.notes.join('; ')})` : '';
  const decision: RoutingDecision = {
    reason: `${evaluation.reason}${notes}`,
    intent: facts.intent,
    confidence: facts.confidence,
    eventId: event.id,
    ruleSetVersion: ruleSet.version,
    ...(evaluation.ruleId ? { ruleId: evaluation.ruleId } : {}),
    ...(evaluation.outcome === 'run'
      ? { workflowId: evaluation.target.workflowId, version: evaluation.target.version }
      : {}),
  };
  const trigger =
    evaluation.outcome === 'run'
      ? await mapInput(evaluation.target.inputMapping, event, ruleLabel(evaluation.ruleId))
      : undefined;
  const { routing, claimed } = await claimRouting(deps.db, {
    eventId: event.id,
    outcome: evaluation.outcome,
    decision,
    ...(trigger ? { trigger } : {}),
    ...(evaluation.outcome === 'triage' ? { candidates: evaluation.candidates } : {}),
    ruleSetVersion: ruleSet.version,
    ...(evaluation.ruleId ? { ruleId: evaluation.ruleId } : {}),
    intent: facts.intent,
    confidence: facts.confidence,
    sourceKind: facts.sourceKind,
    ...(facts.clientId ? { clientId: facts.clientId } : {}),
    ...(facts.projectId ? { projectId: facts.projectId } : {}),
    ...(evaluation.outcome === 'run'
      ? { workflowId: evaluation.target.workflowId, version: evaluation.target.version }
      : { triageTaskId: triageTaskId(event.id) }),
  });
  const base = { eventId: event.id, duplicate: !claimed, outcome: routing.outcome };
  // The stored decision is carried out again on a duplicate: each effect is idempotent, so a
  // crash between claiming and starting heals on the next delivery without a second run.
  if (routing.outcome === 'run' && routing.workflowId && routing.version !== undefined) {
    const started = await startRoutedRun(deps, event, routing, options);
    return { ...base, decision: started.decision, runId: started.runId };
  }
  if (routing.outcome === 'triage') {
    const taskId = await askOperator(deps, event, routing);
    return { ...base, decision: routing.decision, triageTaskId: taskId };
  }
  return { ...base, decision: routing.decision, ...(routing.runId ? { runId: routing.runId } : {}) };
}
