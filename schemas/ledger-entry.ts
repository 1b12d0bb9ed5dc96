import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, idString, SCHEMA_BASE, timestamp } from './common.ts';

export const approvalSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['decision', 'reviewer', 'decidedAt'],
  properties: {
    taskId: idString,
    decision: { enum: ['approved', 'edited', 'rejected', 'expired'] },
    reviewer: { type: 'string' },
    decidedAt: timestamp,
    value: {},
    note: { type: 'string' },
    escalatedTo: { type: 'string' },
  },
} as const;

/** An agent node's steps in order, and its budget beside what it used (temporal/ledger-agent.ts). */
export const agentTimelineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['budget', 'used', 'steps'],
  properties: {
    budget: {
      type: 'object',
      additionalProperties: false,
      required: ['maxSteps', 'maxTokens', 'maxCostUsd', 'maxWallMs'],
      properties: {
        maxSteps: { type: 'integer' },
        maxTokens: { type: 'integer' },
        maxCostUsd: { type: 'number' },
        maxWallMs: { type: 'integer' },
      },
    },
    used: {
      type: 'object',
      additionalProperties: false,
      required: ['steps', 'tokens', 'costUsd'],
      properties: { steps: { type: 'integer' }, tokens: { type: 'integer' }, costUsd: { type: 'number' } },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'summary'],
        properties: {
          /** "1/think", "1/tool/2". */
          id: { type: 'string' },
          kind: { enum: ['think', 'tool'] },
          step: { type: 'integer' },
          /** For a tool call: its place in the step (the approval task's id ends with ":<node>:<step>:<call>"). */
          call: { type: 'integer' },
          summary: { type: 'string' },
          tool: { type: 'string' },
          policy: { enum: ['auto', 'ask', 'deny'] },
          ok: { type: 'boolean' },
          tokens: { type: 'integer' },
          costUsd: { type: 'number' },
          startedAt: timestamp,
          endedAt: timestamp,
        },
      },
    },
  },
} as const;

/** One node's execution, read back from the run's Temporal history (never written separately). */
export const ledgerEntrySchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/ledger-entry.json`,
  title: 'LedgerEntry',
  type: 'object',
  additionalProperties: false,
  required: ['runId', 'nodeId', 'nodeType', 'status', 'attempt', 'approvals'],
  properties: {
    runId: idString,
    nodeId: idString,
    nodeType: { type: 'string' },
    nodeVersion: { type: 'integer' },
    status: { enum: ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped'] },
    attempt: { type: 'integer', minimum: 0, description: 'Attempts made (1 = first try succeeded).' },
    startedAt: timestamp,
    endedAt: timestamp,
    input: {},
    config: {},
    output: {},
    error: { type: 'string' },
    tier: { enum: ['cached', 'local', 'provider', 'human', 'none', 'recorded'] },
    model: { type: 'string' },
    costUsd: { type: 'number', minimum: 0 },
    latencyMs: { type: 'number', minimum: 0 },
    confidence: { type: 'number' },
    approvals: { type: 'array', items: approvalSchema },
    notes: { type: 'array', items: { type: 'string' }, description: 'Why a tier was chosen, degraded or skipped.' },
    agent: agentTimelineSchema,
  },
} as const;

export type Approval = FromSchema<typeof approvalSchema>;
export type LedgerEntry = FromSchema<typeof ledgerEntrySchema>;
export type AgentTimeline = FromSchema<typeof agentTimelineSchema>;
