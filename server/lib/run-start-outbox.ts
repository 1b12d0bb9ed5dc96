import type { Client } from '@temporalio/client';
import type { ControlDeps } from '../../control/deps.ts';
import { routedRunId, routeKey, startRoutedRun } from '../../control/router/route-event.ts';
import { getRouting } from '../../control/router/routings.ts';
import type { Event } from '../../schemas/event.ts';
import type { ExecutionPlan } from '../../schemas/execution-plan.ts';
import type { Db } from '../../store/db.ts';
import { getEvent } from '../../store/events.ts';
import {
  deferRunStart,
  pendingRunStarts,
  runStartDone,
  runStartFailed,
  type PendingStart,
} from '../../store/run-start-outbox.ts';
import { runWorkflowId, startRun, type RunHandle } from '../../temporal/runs.ts';
import { ServiceStartingError } from './service-starting.ts';

// Ingest must not fail a delivery it has stored because Temporal is unreachable (issue 19): the
// wired runs, and the runs the intent router's rules decide, are recorded as pending (store/run-start-outbox.ts) and started by the server's
// retry loop once Temporal answers. Run ids derive from the event's idempotency key, and Temporal
// refuses a second start of the same id, so a start tried twice still starts one run.

/** How long a delivery waits for Temporal before its runs are deferred (the client itself retries for ~20 s). */
export const START_DEADLINE_MS = 3_000;

export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
}

// gRPC status codes that mean "not reachable now", not "refused".
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Whether the error (or one of its causes) says Temporal could not be reached, rather than refused the call. */
export function temporalUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (current instanceof TemporalUnavailableError || current instanceof ServiceStartingError) return true;
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) return true;
    if (name === 'TransportError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The promise, or a TemporalUnavailableError after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalUnavailableError(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunTarget {
  workflowId: string;
  version: number;
  plan: ExecutionPlan;
}

export interface StartContext {
  db: Db;
  temporal: () => Promise<Client>;
  taskQueue: string;
  /** The control plane, for runs the intent router decided (they start with their routing). */
  control: (options: { memory: boolean }) => Promise<ControlDeps>;
  warn?: (message: string) => void;
}

async function startBounded(client: Client, context: StartContext, target: RunTarget, event: Event, key: string) {
  return client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
    startRun(client, {
      taskQueue: context.taskQueue,
      plan: target.plan,
      workflow: { id: target.workflowId, version: target.version },
      trigger: { event },
      idempotencyKey: key,
    }),
  );
}

export interface StartOutcome {
  workflowId: string;
  runId: string;
  started: boolean;
  /** Temporal was unreachable: the run is recorded and starts when it is back. */
  pending?: string;
}

/** Starts each target's run for the event, or records it as pending when Temporal cannot be reached. */
export async function startOrDefer(
  context: StartContext,
  targets: RunTarget[],
  event: Event,
  idempotencyKey: string,
): Promise<StartOutcome[]> {
  const outcomes: StartOutcome[] = [];
  let unreachable: string | undefined;
  for (const target of targets) {
    const runId = runWorkflowId(target.workflowId, idempotencyKey);
    if (!unreachable) {
      try {
        const client = await within(context.temporal(), START_DEADLINE_MS, 'Temporal');
        const { handle, started }: { handle: RunHandle; started: boolean } = await startBounded(
          client,
          context,
          target,
          event,
          idempotencyKey,
        );
        outcomes.push({ workflowId: target.workflowId, runId: handle.workflowId, started });
        continue;
      } catch (error) {
        if (!temporalUnreachable(error)) throw error;
        unreachable = `Temporal is unreachable (${(error as Error).message}); the run starts when it is back`;
      }
    }
    await deferRunStart(context.db, {
      runId,
      workflowId: target.workflowId,
      version: target.version,
      eventId: event.id,
      idempotencyKey,
      taskQueue: context.taskQueue,
      lastError: unreachable,
    });
    outcomes.push({ workflowId: target.workflowId, runId, started: false, pending: unreachable });
  }
  return outcomes;
}

/**
 * Records the run a routing rule decided as pending (Temporal was unreachable when it was to start).
 * Its idempotency key is the router's, `route:<eventId>`: that is how a retry knows to start it
 * with its routing (control/router/route-event.ts startRoutedRun) rather than as a wired run.
 */
export async function deferRoutedRun(
  context: StartContext,
  routing: { eventId: string; workflowId: string; version: number },
  error: unknown,
): Promise<StartOutcome> {
  const pending = `Temporal is unreachable (${(error as Error).message}); the run starts when it is back`;
  const runId = routedRunId(routing.workflowId, routing.eventId);
  await deferRunStart(context.db, {
    runId,
    workflowId: routing.workflowId,
    version: routing.version,
    eventId: routing.eventId,
    idempotencyKey: routeKey(routing.eventId),
    taskQueue: context.taskQueue,
    lastError: pending,
  });
  return { workflowId: routing.workflowId, runId, started: false, pending };
}

const isRouted = (start: PendingStart) => start.idempotencyKey === routeKey(start.eventId);

/** A pending routed run: started from its stored routing, as the router would have. */
async function startRouted(context: StartContext, start: PendingStart, event: Event): Promise<boolean> {
  const routing = await getRouting(context.db, start.eventId);
  if (routing?.outcome !== 'run' || routing.workflowId !== start.workflowId) return false;
  const deps = await context.control({ memory: false });
  await startRoutedRun(deps, event, routing, { startWithinMs: START_DEADLINE_MS });
  return true;
}

/**
 * One pass over the pending runs: starts each (a run that exists already counts as started), and
 * stops at the first sign that Temporal is still unreachable. Returns how many left the outbox.
 */
export async function startPendingRuns(context: StartContext): Promise<number> {
  const pending = await pendingRunStarts(context.db, context.taskQueue);
  let done = 0;
  for (const start of pending) {
    try {
      const event = await getEvent(context.db, start.eventId);
      if (event && isRouted(start)) {
        // A routing that no longer asks for this run (re-routed, erased) leaves nothing to start.
        if (await startRouted(context, start, event)) done++;
        await runStartDone(context.db, start.runId);
        continue;
      }
      const { rows } = await context.db.query<{ plan: ExecutionPlan }>(
        'select plan from workflow_versions where workflow_id = $1 and version = $2',
        [start.workflowId, start.version],
      );
      const plan = rows[0]?.plan;
      if (!event || !plan) {
        // The event was erased or the version removed: nothing is left to start.
        await runStartDone(context.db, start.runId);
        continue;
      }
      const client = await within(context.temporal(), START_DEADLINE_MS, 'Temporal');
      const target = { workflowId: start.workflowId, version: start.version, plan };
      await startBounded(client, context, target, event, start.idempotencyKey);
      await runStartDone(context.db, start.runId);
      done++;
    } catch (error) {
      const message = (error as Error).message;
      await runStartFailed(context.db, start.runId, message);
      if (temporalUnreachable(error)) break;
      context.warn?.(`pending run ${start.runId} could not start: ${message}`);
    }
  }
  return done;
}
