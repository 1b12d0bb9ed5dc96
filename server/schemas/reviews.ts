import { reviewKinds, reviewStates } from '../../schemas/review-task.ts';
import { idString, safeId } from './common.ts';

export const listReviewsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { enum: reviewStates },
    kind: { enum: reviewKinds },
    workflowId: safeId,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const taskParams = {
  type: 'object',
  additionalProperties: false,
  required: ['taskId'],
  properties: { taskId: idString },
} as const;
