import type { FromSchema } from 'json-schema-to-ts';
import { billableItemSchema } from '../../schemas/invoice.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

export const billableKinds = ['time-entry', 'expense', 'fixed-fee'] as const;

/**
 * Collects what a project has not been invoiced for yet. Billable work lives on the project
 * record as records of kind time-entry (hours, rate), expense (amount) and fixed-fee (amount),
 * written by people or by a project-record node once the work is approved. A record is billed
 * once: an `invoice` record lists the ids it settles, and those are left out next time.
 */
export const billableItemsDeclaration = {
  type: 'billable-items',
  version: 1,
  title: 'Billable items',
  description:
    'Collects a project’s approved, not yet invoiced work from its project record (time entries, expenses, fixed ' +
    'fees) as invoice items for its client. Records an earlier invoice record settles are left out.',
  category: 'finance',
  config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      projectId: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        title: 'Project',
        description: 'Default: `projectId` in the run data.',
      },
      defaultRateMinor: {
        type: 'integer',
        minimum: 0,
        title: 'Hourly rate (minor units)',
        description: 'For time entries without a rate, unless the project or client record sets `rateMinor`.',
      },
    },
  },
  input: {
    type: 'object',
    properties: {
      data: { type: 'object', title: 'Run data', description: '`projectId` when the config has none.' },
    },
  },
  output: {
    type: 'object',
    required: ['projectId', 'recordIds', 'count'],
    properties: {
      billing: {
        type: 'object',
        title: 'Billing',
        description: 'Absent when there is nothing to bill, so the invoice step is skipped.',
        additionalProperties: false,
        required: ['clientId', 'projectId', 'items'],
        properties: {
          clientId: { type: 'string', minLength: 1, maxLength: 200 },
          projectId: { type: 'string', minLength: 1, maxLength: 200 },
          items: { type: 'array', minItems: 1, maxItems: 500, items: billableItemSchema },
        },
      },
      projectId: { type: 'string', title: 'Project id' },
      recordIds: { type: 'array', items: { type: 'string' }, title: 'Records billed' },
      count: { type: 'integer', minimum: 0, title: 'How many items' },
    },
  },
  execution: { kind: 'activity', timeoutMs: 30_000, retry: { maximumAttempts: 3, initialIntervalMs: 1_000 } },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: false,
  editor: { color: '#15803d', icon: 'list-checks', summaryField: 'projectId' },
  examples: [
    { title: 'A project’s open work', config: { defaultRateMinor: 9000 }, input: { data: { projectId: 'p-1' } } },
  ],
} as const satisfies NodeDeclaration;

export type BillableItemsConfig = FromSchema<
  typeof billableItemsDeclaration.config,
  { keepDefaultedPropertiesOptional: true }
>;
export type BillableItemsInput = FromSchema<typeof billableItemsDeclaration.input>;
export type BillableItemsOutput = FromSchema<typeof billableItemsDeclaration.output>;
