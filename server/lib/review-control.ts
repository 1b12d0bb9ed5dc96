import type { FastifyInstance } from 'fastify';
import { recordCorrection, type TriageChoice } from '../../control/index.ts';
import type { ReviewTask } from '../../schemas/review-task.ts';
import type { Db } from '../../store/db.ts';
import { getVersion } from '../../store/workflows.ts';
import { badRequest, notFound } from './http-errors.ts';

interface Decision {
  decision: 'approved' | 'edited' | 'rejected';
  reviewer: string;
  value?: unknown;
  note?: string;
}

/** An event rejected at ingest is discarded (rejected) or sent again fixed, never routed: 400 naming the decision. */
export function assertRoutable(task: ReviewTask, decision: Decision['decision']): void {
  if (task.kind !== 'triage' || !('unreadable' in task.context) || decision === 'rejected') return;
  throw badRequest(
    'this input could not be read and is not routed to a workflow: reject it to discard it, or fix the source and send it again',
    '/decision',
  );
}

/**
 * A review decision on a triage task as the router takes it: approving picks the proposed
 * workflow, an edit names one (`{ workflowId, version? }`), rejecting dismisses the event. The
 * workflow must have a published version (404 naming the field otherwise).
 */
export async function triageChoice(db: Db, task: ReviewTask, decision: Decision): Promise<TriageChoice> {
  const base = { reviewer: decision.reviewer, ...(decision.note ? { note: decision.note } : {}) };
  if (decision.decision === 'rejected') return { ...base, workflowId: null };
  assertRoutable(task, decision.decision);
  const picked = (decision.decision === 'approved' ? task.proposed : decision.value) as {
    workflowId: string;
    version?: number;
  };
  const field = decision.decision === 'approved' ? '/decision' : '/value';
  if (!(await getVersion(db, picked.workflowId, picked.version))) {
    throw picked.version === undefined
      ? notFound(`a published version of workflow ${picked.workflowId}`, `${field}/workflowId`)
      : notFound(`version ${picked.version} of workflow ${picked.workflowId}`, `${field}/version`);
  }
  return {
    ...base,
    workflowId: picked.workflowId,
    ...(picked.version !== undefined ? { version: picked.version } : {}),
  };
}

/**
 * Keeps an edit or rejection as a correction in memory (control/learning), right after the
 * decision. Without memory, or when storing fails, the decision stands and the correction sweep
 * (server/lib/control-upkeep.ts) stores it later.
 */
export async function learnFromDecision(
  app: FastifyInstance,
  taskId: string,
): Promise<{ memoryId: string; kind: 'extraction' | 'output' } | undefined> {
  const learned = await app.control.memory();
  if (!learned) return undefined;
  try {
    const stored = await recordCorrection({ db: app.services.db, memory: learned.memory }, taskId);
    return stored && { memoryId: stored.memoryId, kind: stored.kind };
  } catch (error) {
    app.log.warn({ err: error, taskId }, 'the correction was not stored now; the sweep will retry');
    return undefined;
  }
}
