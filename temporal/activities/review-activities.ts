import { ApplicationFailure } from '@temporalio/common';
import { ValidationError } from '../../schemas/ajv.ts';
import {
  createReviewTask,
  escalateReviewTask,
  settleReviewTask,
  TaskStateError,
  TaskValueError,
} from '../../store/review-tasks.ts';
import type { Db } from '../../store/db.ts';
import type { ReviewTaskArgs, SettleArgs, SettledTask } from '../workflows/run-types.ts';

/** Review-queue side effects of the interpreter; each is idempotent so retries are safe. */
export function createReviewActivities(db: Db) {
  return {
    async createReviewTask(args: ReviewTaskArgs): Promise<{ taskId: string }> {
      const task = await createReviewTask(db, args);
      return { taskId: task.id };
    },

    async escalateReviewTask(args: { taskId: string; to: string; dueAt: string }): Promise<void> {
      await escalateReviewTask(db, args.taskId, args.to, args.dueAt);
    },

    /** Records the decision in the source of truth; a refused decision fails for good (the caller is told why). */
    async settleReviewTask(args: SettleArgs): Promise<SettledTask> {
      try {
        const task = await settleReviewTask(db, args);
        return {
          taskId: task.id,
          state: args.state,
          reviewer: task.reviewer ?? args.reviewer,
          ...(task.value !== undefined ? { value: task.value } : {}),
          ...(args.note ? { note: args.note } : {}),
          decidedAt: task.decidedAt ?? new Date().toISOString(),
        };
      } catch (error) {
        if (error instanceof TaskStateError || error instanceof TaskValueError || error instanceof ValidationError) {
          throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
        }
        throw error;
      }
    },
  };
}

export type ReviewActivities = ReturnType<typeof createReviewActivities>;
