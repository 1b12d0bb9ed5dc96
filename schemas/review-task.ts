import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, idString, SCHEMA_BASE, timestamp } from './common.ts';

export const reviewStates = ['pending', 'approved', 'edited', 'rejected', 'expired'] as const;
export const reviewDecisions = ['approved', 'edited', 'rejected', 'expired'] as const;
export const reviewKinds = ['review', 'draft', 'extraction', 'triage', 'fallback'] as const;

/** pending → approved | edited | rejected | expired; every transition says who and when. */
export const reviewTransitionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'by', 'at'],
  properties: {
    from: { enum: reviewStates },
    to: { enum: reviewStates },
    by: { type: 'string', minLength: 1, maxLength: 200 },
    at: timestamp,
    note: { type: 'string', maxLength: 5000 },
  },
} as const;

/** A piece of work waiting for the operator: review a result, write a draft, pick a workflow. */
export const reviewTaskSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/review-task.json`,
  title: 'ReviewTask',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'kind',
    'state',
    'runId',
    'workflowId',
    'nodeId',
    'title',
    'instructions',
    'context',
    'createdAt',
    'transitions',
  ],
  properties: {
    id: idString,
    kind: { enum: reviewKinds },
    state: { enum: reviewStates },
    runId: idString,
    workflowId: idString,
    nodeId: idString,
    title: { type: 'string', maxLength: 500 },
    instructions: { type: 'string', maxLength: 10_000 },
    assignee: { type: 'string', maxLength: 200 },
    reason: {
      type: 'string',
      maxLength: 2000,
      description: 'Why a human is asked: low confidence, no provider, policy.',
    },
    context: { type: 'object', additionalProperties: true, description: 'The event, retrieved memory, extraction.' },
    proposed: { description: 'The value the machine proposes, if any; the reviewer approves or edits it.' },
    valueSchema: { type: 'object', description: 'JSON Schema an edited value must satisfy.' },
    decision: { enum: reviewDecisions },
    value: { description: 'The value that goes downstream after the decision.' },
    reviewer: { type: 'string', maxLength: 200 },
    createdAt: timestamp,
    dueAt: timestamp,
    decidedAt: timestamp,
    escalatedTo: { type: 'string', maxLength: 200 },
    transitions: { type: 'array', items: reviewTransitionSchema },
  },
} as const;

/** What a reviewer sends: approve as is, edit with a new value, or reject. */
export const reviewDecisionInputSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/review-decision.json`,
  title: 'ReviewDecision',
  type: 'object',
  additionalProperties: false,
  required: ['decision', 'reviewer'],
  properties: {
    decision: { enum: ['approved', 'edited', 'rejected'] },
    reviewer: { type: 'string', minLength: 1, maxLength: 200 },
    value: { description: 'Required when the decision is "edited".' },
    note: { type: 'string', maxLength: 5000 },
    digest: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description:
        'For a task approving an agent’s tool call: the digest shown in its context. A decision naming another call is refused (409).',
    },
  },
  if: { properties: { decision: { const: 'edited' } } },
  then: { required: ['value'] },
} as const;

export type ReviewTask = FromSchema<typeof reviewTaskSchema>;
export type ReviewState = (typeof reviewStates)[number];
export type ReviewDecision = (typeof reviewDecisions)[number];
export type ReviewDecisionInput = FromSchema<typeof reviewDecisionInputSchema>;
