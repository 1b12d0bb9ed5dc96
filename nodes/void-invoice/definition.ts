import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

/**
 * Voids an issued invoice that its review turned down. The number stays used (the series is
 * gap-free, and bookkeeping accounts for every number); the next invoice takes the next one.
 */
export const voidInvoiceDeclaration = {
  type: 'void-invoice',
  version: 1,
  title: 'Void invoice',
  description:
    'Voids the invoice when its review was rejected or expired (or always, when no decision is wired). An approved ' +
    'invoice is left as it is. A paid invoice is never voided.',
  category: 'finance',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      reason: { type: 'string', minLength: 1, maxLength: 500, title: 'Reason', default: 'turned down in review' },
    },
  },
  input: {
    type: 'object',
    required: ['invoice'],
    properties: {
      invoice: {
        type: 'object',
        title: 'Invoice',
        required: ['id', 'number'],
        properties: { id: { type: 'string' }, number: { type: 'string' } },
      },
      decision: { type: 'string', title: 'Review decision' },
      reviewer: { type: 'string', title: 'Reviewer' },
    },
  },
  output: {
    type: 'object',
    required: ['voided', 'status'],
    properties: {
      voided: { type: 'boolean', title: 'Voided' },
      status: { enum: ['issued', 'paid', 'void'], title: 'Invoice status' },
    },
  },
  execution: { kind: 'activity', timeoutMs: 30_000, retry: { maximumAttempts: 5, initialIntervalMs: 1_000 } },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#b91c1c', icon: 'file-x', summaryField: 'reason' },
  examples: [
    {
      title: 'Rejected in review',
      config: {},
      input: { invoice: { id: 'inv-1', number: 'INV-2026-0001' }, decision: 'rejected' },
    },
  ],
} as const satisfies NodeDeclaration;

export type VoidInvoiceConfig = FromSchema<
  typeof voidInvoiceDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type VoidInvoiceInput = FromSchema<typeof voidInvoiceDeclaration.input>;
export type VoidInvoiceOutput = FromSchema<typeof voidInvoiceDeclaration.output>;
