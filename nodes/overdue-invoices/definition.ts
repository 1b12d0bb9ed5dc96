import type { FromSchema } from 'json-schema-to-ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

const overdueInvoice = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'clientId',
    'clientName',
    'currency',
    'totalMinor',
    'totalText',
    'issueDate',
    'dueDate',
    'daysOverdue',
  ],
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    clientId: { type: 'string' },
    clientName: { type: 'string' },
    clientEmail: { type: 'string' },
    projectId: { type: 'string' },
    currency: { type: 'string' },
    totalMinor: { type: 'integer' },
    totalText: { type: 'string', description: 'The total formatted for people: "€1,234.50".' },
    issueDate: { type: 'string', format: 'date' },
    dueDate: { type: 'string', format: 'date' },
    daysOverdue: { type: 'integer', minimum: 1 },
  },
} as const;

/** Finds issued, unpaid invoices past their due date: what a reminder run works from. */
export const overdueInvoicesDeclaration = {
  type: 'overdue-invoices',
  version: 1,
  title: 'Overdue invoices',
  description:
    'Lists issued, unpaid invoices past their due date (longest overdue first), with the client and the total ' +
    'formatted for a reminder. Paid and void invoices never appear.',
  category: 'finance',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minDaysOverdue: {
        type: 'integer',
        minimum: 1,
        maximum: 365,
        default: 1,
        title: 'At least this many days overdue',
        description: 'A grace period: 7 leaves invoices due last week alone.',
      },
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, title: 'At most this many invoices' },
      locale: { type: 'string', minLength: 2, maxLength: 35, title: 'Locale for amounts', default: 'en-US' },
    },
  },
  input: {
    type: 'object',
    properties: {
      data: {
        type: 'object',
        title: 'Run data',
        description: '`asOf` (YYYY-MM-DD) checks as of that day; default today (UTC).',
        additionalProperties: true,
      },
    },
  },
  output: {
    type: 'object',
    required: ['overdue'],
    properties: {
      overdue: {
        type: 'object',
        title: 'Overdue invoices',
        additionalProperties: false,
        required: ['asOf', 'count', 'invoices'],
        properties: {
          asOf: { type: 'string', format: 'date' },
          count: { type: 'integer', minimum: 0 },
          invoices: { type: 'array', items: overdueInvoice },
        },
      },
    },
  },
  execution: { kind: 'activity', timeoutMs: 30_000, retry: { maximumAttempts: 3, initialIntervalMs: 1_000 } },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: false,
  editor: { color: '#15803d', icon: 'alarm-clock', summaryField: 'minDaysOverdue' },
  examples: [{ title: 'A week past due', config: { minDaysOverdue: 7 }, input: { data: { asOf: '2026-04-01' } } }],
} as const satisfies NodeDeclaration;

export type OverdueInvoicesConfig = FromSchema<
  typeof overdueInvoicesDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type OverdueInvoicesInput = FromSchema<typeof overdueInvoicesDeclaration.input>;
export type OverdueInvoicesOutput = FromSchema<typeof overdueInvoicesDeclaration.output>;
