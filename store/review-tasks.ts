import { assertValid } from '../schemas/ajv.ts';
import type { ReviewState, ReviewTask } from '../schemas/review-task.ts';
import type { Db, Queryable } from './db.ts';

export interface NewReviewTask {
  id: string;
  kind: ReviewTask['kind'];
  runId: string;
  workflowId: string;
  nodeId: string;
  title: string;
  instructions: string;
  assignee?: string;
  reason?: string;
  context: Record<string, unknown>;
  proposed?: unknown;
  valueSchema?: Record<string, unknown>;
  dueAt?: string;
}

interface TaskRow {
  id: string;
  kind: ReviewTask['kind'];
  state: ReviewState;
  run_id: string;
  workflow_id: string;
  node_id: string;
  title: string;
  instructions: string;
  assignee: string | null;
  reason: string | null;
  context: Record<string, unknown>;
  proposed: unknown;
  value_schema: Record<string, unknown> | null;
  decision: ReviewTask['decision'] | null;
  value: unknown;
  reviewer: string | null;
  escalated_to: string | null;
  created_at: Date;
  due_at: Date | null;
  decided_at: Date | null;
}

interface TransitionRow {
  from_state: ReviewState;
  to_state: ReviewState;
  by: string;
  at: Date;
  note: string | null;
}

function toTask(row: TaskRow, transitions: TransitionRow[]): ReviewTask {
  const task: ReviewTask = {
    id: row.id,
    kind: row.kind,
    state: row.state,
    runId: row.run_id,
    workflowId: row.workflow_id,
    nodeId: row.node_id,
    title: row.title,
    instructions: row.instructions,
    context: row.context,
    createdAt: row.created_at.toISOString(),
    transitions: transitions.map((t) => ({
      from: t.from_state,
      to: t.to_state,
      by: t.by,
      at: t.at.toISOString(),
      ...(t.note ? { note: t.note } : {}),
    })),
  };
  if (row.assignee) task.assignee = row.assignee;
  if (row.reason) task.reason = row.reason;
  if (row.proposed !== null) task.proposed = row.proposed;
  if (row.value_schema) task.valueSchema = row.value_schema;
  if (row.decision) task.decision = row.decision;
  if (row.value !== null) task.value = row.value;
  if (row.reviewer) task.reviewer = row.reviewer;
  if (row.escalated_to) task.escalatedTo = row.escalated_to;
  if (row.due_at) task.dueAt = row.due_at.toISOString();
  if (row.decided_at) task.decidedAt = row.decided_at.toISOString();
  return task;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Creates the task once: a retried activity finds the existing row and returns it. */
export async function createReviewTask(db: Db, task: NewReviewTask): Promise<ReviewTask> {
  await db.query(
    `insert into review_tasks (id, kind, run_id, workflow_id, node_id, title, instructions, assignee, reason, context, proposed, value_schema, due_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (id) do nothing`,
    [
      task.id,
      task.kind,
      task.runId,
      task.workflowId,
      task.nodeId,
      task.title,
      task.instructions,
      task.assignee ?? null,
      task.reason ?? null,
      JSON.stringify(task.context),
      json(task.proposed),
      json(task.valueSchema),
      task.dueAt ?? null,
    ],
  );
  const created = await getReviewTask(db, task.id);
  if (!created) throw new Error(`review task ${task.id} vanished after insert`);
  return created;
}

export async function getReviewTask(db: Queryable, id: string): Promise<ReviewTask | undefined> {
  const rows = await db.query<TaskRow>('select * from review_tasks where id = $1', [id]);
  const row = rows.rows[0];
  if (!row) return undefined;
  const transitions = await db.query<TransitionRow>(
    'select from_state, to_state, by, at, note from review_transitions where task_id = $1 order by id',
    [id],
  );
  return toTask(row, transitions.rows);
}

export interface TaskFilters {
  state?: ReviewState;
  workflowId?: string;
  kind?: ReviewTask['kind'];
  limit?: number;
  offset?: number;
}

export async function listReviewTasks(db: Db, filters: TaskFilters = {}): Promise<ReviewTask[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filters.state) add('state = ?', filters.state);
  if (filters.workflowId) add('workflow_id = ?', filters.workflowId);
  if (filters.kind) add('kind = ?', filters.kind);
  params.push(Math.min(filters.limit ?? 50, 500), filters.offset ?? 0);
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  const rows = await db.query<TaskRow>(
    `select * from review_tasks ${where} order by created_at, id limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  const ids = rows.rows.map((row) => row.id);
  const transitions = await db.query<TransitionRow & { task_id: string }>(
    'select task_id, from_state, to_state, by, at, note from review_transitions where task_id = any($1) order by id',
    [ids],
  );
  return rows.rows.map((row) =>
    toTask(
      row,
      transitions.rows.filter((t) => t.task_id === row.id),
    ),
  );
}

export class TaskStateError extends Error {
  override readonly name = 'TaskStateError';
  readonly status = 409;
}

export class TaskValueError extends Error {
  override readonly name = 'TaskValueError';
  readonly status = 400;
}

/**
 * pending → approved | edited | rejected | expired, with who and when. Settling again with
 * the same outcome is a no-op (activity retries); any other change is refused, here and by
 * the database trigger.
 */
export async function settleReviewTask(
  db: Db,
  settle: {
    taskId: string;
    state: Exclude<ReviewState, 'pending'>;
    reviewer: string;
    value?: unknown;
    note?: string;
    at?: Date;
  },
): Promise<ReviewTask> {
  return db.transaction(async (tx) => {
    const current = await tx.query<TaskRow>('select * from review_tasks where id = $1 for update', [settle.taskId]);
    const row = current.rows[0];
    if (!row) throw new TaskStateError(`review task ${settle.taskId} does not exist`);
    if (row.state !== 'pending') {
      if (row.state === settle.state && row.reviewer === settle.reviewer) {
        const transitions = await tx.query<TransitionRow>(
          'select from_state, to_state, by, at, note from review_transitions where task_id = $1 order by id',
          [settle.taskId],
        );
        return toTask(row, transitions.rows);
      }
      throw new TaskStateError(`review task ${settle.taskId} is already ${row.state}`);
    }
    if (settle.state === 'approved' && row.proposed === null) {
      throw new TaskValueError('there is no proposed value to approve: edit it instead');
    }
    if (settle.state === 'edited') {
      if (settle.value === undefined) throw new TaskValueError('an edit needs a value');
      if (row.value_schema) assertValid(row.value_schema, settle.value, 'edited value', '/value');
    }
    const value = settle.state === 'edited' ? settle.value : settle.state === 'approved' ? row.proposed : null;
    const at = settle.at ?? new Date();
    await tx.query(
      `update review_tasks set state = $2, decision = $2, value = $3, reviewer = $4, decided_at = $5 where id = $1`,
      [settle.taskId, settle.state, json(value), settle.reviewer, at],
    );
    await tx.query(
      'insert into review_transitions (task_id, from_state, to_state, by, at, note) values ($1, $2, $3, $4, $5, $6)',
      [settle.taskId, 'pending', settle.state, settle.reviewer, at, settle.note ?? null],
    );
    const updated = await tx.query<TaskRow>('select * from review_tasks where id = $1', [settle.taskId]);
    const transitions = await tx.query<TransitionRow>(
      'select from_state, to_state, by, at, note from review_transitions where task_id = $1 order by id',
      [settle.taskId],
    );
    return toTask(updated.rows[0] as TaskRow, transitions.rows);
  });
}

/** Reassigns a pending task (escalation); not a state change, so no transition row. */
export async function escalateReviewTask(db: Db, taskId: string, to: string, dueAt: string): Promise<void> {
  await db.query(
    `update review_tasks set escalated_to = $2, assignee = $2, due_at = $3 where id = $1 and state = 'pending'`,
    [taskId, to, dueAt],
  );
}
