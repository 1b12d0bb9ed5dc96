import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

/**
 * A person approves, edits or rejects a value. The waiting is the interpreter's job
 * (a Temporal update carries the decision); this declares the contract and the task.
 */
export const humanReviewDeclaration = {
  type: 'human-review',
  version: 1,
  title: 'Human review',
  description: 'Puts the value in the review queue; the operator approves, edits or rejects it. Times out per policy.',
  category: 'human',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['instructions', 'timeoutMinutes', 'onTimeout'],
    properties: {
      title: { type: 'string', maxLength: 200, title: 'Task title' },
      instructions: { type: 'string', maxLength: 5000, title: 'Instructions', default: 'Check and approve, or edit.' },
      assignee: { type: 'string', maxLength: 200, title: 'Assignee', default: 'operator' },
      timeoutMinutes: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 525_600,
        title: 'Time to decide (minutes)',
        default: 2880,
      },
      onTimeout: {
        enum: ['escalate', 'reject', 'approve'],
        title: 'When time runs out',
        default: 'escalate',
        description: 'escalate: reassign and wait once more, then expire; reject or approve: decide automatically.',
      },
      escalateTo: { type: 'string', maxLength: 200, title: 'Escalate to', default: 'owner' },
      escalationMinutes: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 525_600,
        title: 'Time after escalation (minutes)',
        default: 1440,
      },
      valueSchema: {
        type: 'object',
        title: 'Schema of an edited value',
        description: 'Edits must validate against it.',
      },
    },
  },
  input: {
    type: 'object',
    required: ['value'],
    properties: {
      value: { title: 'Value to review' },
      context: { type: 'object', title: 'Context shown to the reviewer', additionalProperties: true },
    },
  },
  output: {
    type: 'object',
    required: ['decision', 'reviewer', 'decidedAt'],
    properties: {
      decision: { enum: ['approved', 'edited', 'rejected', 'expired'], title: 'Decision' },
      value: { title: 'Approved or edited value' },
      reviewer: { type: 'string', title: 'Reviewer' },
      decidedAt: { type: 'string', format: 'date-time', title: 'Decided at' },
      note: { type: 'string', title: 'Note' },
    },
  },
  execution: { kind: 'human', timeoutMs: 1_000 * 60 * 60 * 24 * 365 },
  tier: { cost: 'free', latency: 'slow' },
  sideEffects: false,
  editor: { color: '#b7791f', icon: 'user-check', summaryField: 'assignee' },
  examples: [
    {
      title: 'Approve a reply',
      config: { instructions: 'Check the reply.', timeoutMinutes: 60, onTimeout: 'escalate' },
      input: { value: { kind: 'reply', text: 'Thanks!' } },
    },
  ],
} as const satisfies NodeDeclaration;

export type HumanReviewConfig = FromSchema<typeof humanReviewDeclaration.config>;
export type HumanReviewOutput = FromSchema<typeof humanReviewDeclaration.output>;
