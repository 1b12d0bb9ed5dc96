import type { Queryable } from './db.ts';

// Runs an ingested event should have started while Temporal was unreachable (migration 0012).

export interface PendingStart {
  runId: string;
  workflowId: string;
  version: number;
  eventId: string;
  idempotencyKey: string;
  /** The task queue of the server that deferred it: only a server on that queue starts it. */
  taskQueue: string;
  attempts: number;
  lastError: string;
}

/** Records a run to start later; a second deferral of the same run only counts the attempt. */
export async function deferRunStart(db: Queryable, start: Omit<PendingStart, 'attempts'>): Promise<void> {
  await db.query(
    `insert into run_start_outbox (run_id, workflow_id, version, event_id, idempotency_key, task_queue, last_error)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (run_id) do update
       set attempts = run_start_outbox.attempts + 1, last_error = excluded.last_error, tried_at = now()`,
    [
      start.runId,
      start.workflowId,
      start.version,
      start.eventId,
      start.idempotencyKey,
      start.taskQueue,
      start.lastError,
    ],
  );
}

/** The runs of a task queue, those waiting longest since their last attempt first. */
export async function pendingRunStarts(db: Queryable, taskQueue: string, limit = 20): Promise<PendingStart[]> {
  const { rows } = await db.query<{
    run_id: string;
    workflow_id: string;
    version: number;
    event_id: string;
    idempotency_key: string;
    attempts: number;
    last_error: string;
  }>(
    `select run_id, workflow_id, version, event_id, idempotency_key, attempts, last_error
     from run_start_outbox where task_queue = $1 order by tried_at limit $2`,
    [taskQueue, limit],
  );
  return rows.map((row) => ({
    runId: row.run_id,
    workflowId: row.workflow_id,
    version: row.version,
    eventId: row.event_id,
    idempotencyKey: row.idempotency_key,
    taskQueue,
    attempts: row.attempts,
    lastError: row.last_error,
  }));
}

export async function runStartFailed(db: Queryable, runId: string, error: string): Promise<void> {
  await db.query(
    'update run_start_outbox set attempts = attempts + 1, last_error = $2, tried_at = now() where run_id = $1',
    [runId, error],
  );
}

export async function runStartDone(db: Queryable, runId: string): Promise<void> {
  await db.query('delete from run_start_outbox where run_id = $1', [runId]);
}

/** Why a run has not started yet, when it waits in the outbox. */
export async function pendingRunStart(db: Queryable, runId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ last_error: string }>('select last_error from run_start_outbox where run_id = $1', [
    runId,
  ]);
  return rows[0]?.last_error;
}
