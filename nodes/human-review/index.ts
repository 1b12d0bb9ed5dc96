import { defineNode } from '../sdk/define-node.ts';
import { humanReviewDeclaration } from './definition.ts';

/** No activity code: temporal/workflows/human-task.ts creates the task and waits for the decision. */
export const humanReviewNode = defineNode(humanReviewDeclaration);
