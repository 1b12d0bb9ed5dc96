import { trustedLinks } from '../../security/client-link.ts';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import {
  activeRuleSet,
  getRouting,
  routeEvent,
  type ControlDeps,
  type RouteResult,
  type Routing,
} from '../../control/index.ts';
import { classifyEvent } from '../../control/router/classify.ts';
import { matches, type RoutingFacts } from '../../control/router/evaluate.ts';
import { InputMappingError } from '../../control/router/input-mapping.ts';
import { ControlError } from '../../control/deps.ts';
import type { Event } from '../../schemas/event.ts';
import type { Db } from '../../store/db.ts';
import { getReviewTask } from '../../store/review-tasks.ts';
import type { TriggerRouter } from '../plugins/app/trigger-router.ts';
import {
  deferRoutedRun,
  START_DEADLINE_MS,
  startOrDefer,
  temporalUnreachable,
  type StartOutcome,
} from './run-start-outbox.ts';

// Where a stored event goes, decided once per event and the same way for every delivery of it:
//  1. routed before (a duplicate, a retry after a crash): the router carries out its stored decision again;
//  2. a live routing rule fits the event (intent, source kind, client, project; confidence aside):
//     the intent router decides (its workflow, or triage below the rule's minConfidence);
//  3. published workflows whose trigger names the source: they start, as before the router existed;
//  4. otherwise the intent router: the rule set's default route, or a triage task.
// Rules override the source wiring because they say more (what the event is about and who sent it);
// the wiring beats the default and triage because naming the source already answers "which workflow".

export type StartedRun = StartOutcome;

export interface EventDispatch {
  runs: StartedRun[];
  /** The intent router's decision, when it routed the event. */
  routing?: RouteResult;
  /** Why the router could not carry out its decision (a rule pins a missing version, a mapping fails). */
  routingError?: string;
}

export interface DispatchContext {
  db: Db;
  /** Source → published workflows whose trigger names it. */
  router: TriggerRouter;
  temporal: () => Promise<Client>;
  taskQueue: string;
  control: (options: { memory: boolean }) => Promise<ControlDeps>;
  warn?: (message: string) => void;
}

/** Step 2: whether a live rule fits; the event is classified only when a rule's other fields fit. */
async function ruleFits(deps: ControlDeps, event: Event): Promise<boolean> {
  const { rules } = await activeRuleSet(deps.db);
  const facts: RoutingFacts = {
    intent: '',
    confidence: 0,
    sourceKind: event.source.kind,
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(event.projectId ? { projectId: event.projectId } : {}),
  };
  const fitting = rules.filter((rule) => matches({ ...rule, intent: undefined }, facts));
  if (fitting.length === 0) return false;
  if (fitting.some((rule) => rule.intent === undefined)) return true;
  const { intent } = await classifyEvent(deps, event);
  return fitting.some((rule) => matches(rule, { ...facts, intent }));
}

/**
 * Step 3: every workflow wired to the source, keyed by the event's idempotency key (a duplicate starts
 * nothing new); while Temporal is unreachable the runs are recorded as pending (server/lib/run-start-outbox.ts).
 */
function startWired(
  context: DispatchContext,
  targets: Awaited<ReturnType<TriggerRouter['route']>>,
  event: Event,
  idempotencyKey: string,
): Promise<StartedRun[]> {
  return startOrDefer(context, targets, event, idempotencyKey);
}

/**
 * A routing whose run Temporal could not start: the decision is stored (control_routings), and
 * the run waits in the run-start outbox like a wired run (server/lib/run-start-outbox.ts).
 */
async function deferredRouting(
  context: DispatchContext,
  event: Event,
  error: unknown,
  duplicate: boolean,
): Promise<EventDispatch> {
  const stored = await getRouting(context.db, event.id);
  if (stored?.outcome !== 'run' || !stored.workflowId || stored.version === undefined) throw error;
  const run = await deferRoutedRun(
    context,
    { eventId: event.id, workflowId: stored.workflowId, version: stored.version },
    error,
  );
  const routing: RouteResult = {
    eventId: event.id,
    duplicate,
    outcome: 'run',
    decision: stored.decision,
    runId: run.runId,
  };
  return { runs: [run], routing };
}

async function routed(
  context: DispatchContext,
  deps: ControlDeps,
  event: Event,
  routedBefore = false,
): Promise<EventDispatch> {
  try {
    const routing = await routeEvent(deps, event, { startWithinMs: START_DEADLINE_MS });
    const runs =
      routing.runId && routing.decision.workflowId
        ? [{ workflowId: routing.decision.workflowId, runId: routing.runId, started: !routing.duplicate }]
        : [];
    return { runs, routing };
  } catch (error) {
    if (temporalUnreachable(error)) return deferredRouting(context, event, error, routedBefore);
    // The event is stored; a refusal about the rules is the operator's to fix (POST /events/:id/route
    // routes it again), not the sender's, so the delivery is still acknowledged.
    if (!(error instanceof ControlError) && !(error instanceof InputMappingError)) throw error;
    context.warn?.(`event ${event.id} was stored but not routed: ${error.message}`);
    return { runs: [], routingError: error.message };
  }
}

/**
 * Step 1 for a routing whose effects are all there (its run started, its triage task created, or
 * the event dismissed): the stored decision as it is, without asking the router again. Anything
 * less goes back to the router, which carries out the rest idempotently.
 */
async function routedBefore(context: DispatchContext, routing: Routing): Promise<EventDispatch | undefined> {
  const base = { eventId: routing.eventId, duplicate: true, outcome: routing.outcome, decision: routing.decision };
  const workflowId = routing.workflowId ?? routing.decision.workflowId;
  if (routing.outcome === 'run' && routing.runId && workflowId)
    return {
      runs: [{ workflowId, runId: routing.runId, started: false }],
      routing: { ...base, runId: routing.runId },
    };
  if (routing.outcome === 'dismissed') return { runs: [], routing: base };
  if (routing.outcome === 'triage' && routing.triageTaskId && (await getReviewTask(context.db, routing.triageTaskId)))
    return { runs: [], routing: { ...base, triageTaskId: routing.triageTaskId } };
  return undefined;
}

export interface StoredEvent {
  event: Event;
  idempotencyKey: string;
  /** Another delivery stored the event first (only then can it have been routed already). */
  duplicate: boolean;
}

/** Starts what a stored event should start (see the steps above); safe to call again for the same event. */
export async function dispatchEvent(
  context: DispatchContext,
  sourceName: string,
  { event, idempotencyKey, duplicate }: StoredEvent,
): Promise<EventDispatch> {
  // Corrections are kept per client: memory only helps classify events that have one.
  const deps = () => context.control({ memory: trustedLinks(event).clientId !== undefined });
  const before = duplicate ? await getRouting(context.db, event.id) : undefined;
  if (before) return (await routedBefore(context, before)) ?? routed(context, await deps(), event, true);
  const wired = event.status === 'accepted' ? await context.router.route(sourceName, event) : [];
  if (wired.length === 0) return routed(context, await deps(), event);
  const control = await deps();
  if (await ruleFits(control, event)) return routed(context, control, event);
  return { runs: await startWired(context, wired, event, idempotencyKey) };
}

/** What the ingest and upload routes dispatch with. */
export function dispatchContextOf(app: FastifyInstance): DispatchContext {
  return {
    db: app.services.db,
    router: app.triggerRouter,
    temporal: () => app.services.temporal(),
    taskQueue: app.trellisConfig.temporal.taskQueue,
    // Routing goes on while `trellis up` still starts Temporal: a run it decides waits in the outbox.
    control: (options) => app.control.deps({ ...options, evenWhileStarting: true }),
    warn: (message) => app.log.warn(message),
  };
}
