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
  },
} as const;

export type Approval = FromSchema<typeof approvalSchema>;
export type LedgerEntry = FromSchema<typeof ledgerEntrySchema>;
