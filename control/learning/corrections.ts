// Every human edit or rejection of an automated output is kept in memory as a `correction`,
// with provenance (run, node, reviewer), so later runs can use it. Corrections of extractions
// carry rules the extract node applies to similar messages of the same client.
import { textOf } from '../../nodes/remember/activity.ts';
import { correctionText, deriveCorrection, type CorrectionRules } from '../../nodes/extract/corrections.ts';
import { extractionPort, type EventValue, type Extraction } from '../../nodes/sdk/ports.ts';
import { validatorFor } from '../../schemas/ajv.ts';
import type { ReviewTask } from '../../schemas/review-task.ts';
import type { Queryable } from '../../store/db.ts';
import { getReviewTask } from '../../store/review-tasks.ts';
import type { MemoryStore } from '../../memory/types.ts';
import { sameOutput } from '../canary/compare.ts';
import { ControlError } from '../deps.ts';

export interface CorrectionDeps {
  db: Queryable;
  memory: MemoryStore;
}

export interface StoredCorrection {
  taskId: string;
  memoryId: string;
  kind: 'extraction' | 'output';
  decision: 'edited' | 'rejected';
  rules?: CorrectionRules;
  /** False when it was stored before (the call is idempotent). */
  created: boolean;
}

const isExtraction = (value: unknown): value is Extraction => validatorFor(extractionPort)(value);

/** An extraction as a person or the node gives it: bare, or as the node's `{ extraction }` output. */
export function extractionOf(value: unknown): Extraction | undefined {
  if (isExtraction(value)) return value;
  const inner = (value as { extraction?: unknown } | null | undefined)?.extraction;
  return isExtraction(inner) ? inner : undefined;
}

export function eventOf(task: Pick<ReviewTask, 'context'>): EventValue | undefined {
  const context = task.context as { event?: unknown; input?: { event?: unknown } };
  const event = context.event ?? context.input?.event;
  return event && typeof event === 'object' ? (event as EventValue) : undefined;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** For outputs other than extractions: what the machine proposed and what the person made of it. */
function outputCorrectionText(task: ReviewTask): string {
  const before = clip(textOf(task.proposed), 1500);
  const head = `Correction of "${task.title}" (${task.kind} task, node ${task.nodeId})`;
  if (task.state === 'rejected')
    return `${head}: the person rejected it${task.reason ? ` (asked because: ${task.reason})` : ''}.\nRejected: ${before}`;
  return `${head}: the person changed it.\nBefore: ${before}\nAfter: ${clip(textOf(task.value), 3000)}`;
}

/**
 * Stores the correction a decided review task holds, once: nothing for approvals (nothing was
 * wrong), expiries, triage choices (the router keeps those), or tasks without a machine proposal.
 * Call it after each decision (the API's decision route), or let syncCorrections sweep.
 */
export async function recordCorrection(deps: CorrectionDeps, taskId: string): Promise<StoredCorrection | undefined> {
  const { rows: seen } = await deps.db.query<{
    memory_id: string;
    kind: StoredCorrection['kind'];
    decision: StoredCorrection['decision'];
  }>('select memory_id, kind, decision from control_corrections where task_id = $1', [taskId]);
  if (seen[0])
    return { taskId, memoryId: seen[0].memory_id, kind: seen[0].kind, decision: seen[0].decision, created: false };
  const task = await getReviewTask(deps.db, taskId);
  if (!task) throw new ControlError(`review task ${taskId} does not exist`, 404);
  if (task.kind === 'triage' || task.proposed === undefined) return undefined;
  if (task.state !== 'edited' && task.state !== 'rejected') return undefined;

  // "Edited" back to what was proposed confirms it: there is nothing to learn.
  if (task.state === 'edited' && sameOutput(task.proposed, task.value)) return undefined;
  const event = eventOf(task);
  const before = extractionOf(task.proposed);
  const after = task.state === 'edited' ? extractionOf(task.value) : undefined;
  const asExtraction = event && before && (task.state === 'rejected' || after);
  const rules = asExtraction ? deriveCorrection(event, before, after) : undefined;
  const text = rules && event ? correctionText(event, rules) : outputCorrectionText(task);
  const [stored] = await deps.memory.upsert([
    {
      id: `correction-${taskId}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 200),
      text,
      kind: 'correction',
      ...(event?.clientId ? { clientId: event.clientId } : {}),
      ...(event?.projectId ? { projectId: event.projectId } : {}),
      source: { uri: `trellis://review/${taskId}`, version: '1' },
      confidence: 1,
      ...(task.decidedAt ? { createdAt: task.decidedAt } : {}),
      provenance: {
        workflowId: task.workflowId,
        nodeId: task.nodeId,
        ...(task.reviewer ? { reviewer: task.reviewer } : {}),
      },
    },
  ]);
  if (!stored) throw new Error(`memory did not store the correction of ${taskId}`);
  const kind = rules ? 'extraction' : 'output';
  await deps.db.query(
    `insert into control_corrections (task_id, memory_id, kind, decision, client_id, intent_before, intent_after)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (task_id) do nothing`,
    [
      taskId,
      stored.id,
      kind,
      task.state,
      event?.clientId ?? null,
      rules?.intentBefore ?? null,
      rules?.intentAfter ?? null,
    ],
  );
  return { taskId, memoryId: stored.id, kind, decision: task.state, ...(rules ? { rules } : {}), created: true };
}

/** Stores every decided edit or rejection not stored yet (a sweep for decisions made elsewhere). */
export async function syncCorrections(
  deps: CorrectionDeps,
  { limit = 200 }: { limit?: number } = {},
): Promise<StoredCorrection[]> {
  const { rows } = await deps.db.query<{ id: string }>(
    `select t.id from review_tasks t left join control_corrections c on c.task_id = t.id
     where c.task_id is null and t.state in ('edited', 'rejected') and t.kind <> 'triage' and t.proposed is not null
     order by t.decided_at, t.id limit $1`,
    [limit],
  );
  const stored: StoredCorrection[] = [];
  for (const row of rows) {
    const correction = await recordCorrection(deps, row.id);
    if (correction) stored.push(correction);
  }
  return stored;
}
