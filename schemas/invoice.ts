import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, idString, SCHEMA_BASE, timestamp } from './common.ts';

const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.' } as const;
const minorUnits = { type: 'integer', description: 'Amount in the currency’s minor units (cents).' } as const;

/** One billable item: hours × rate, a fixed fee, or an expense. */
export const billableItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'description'],
  properties: {
    kind: { enum: ['hours', 'fixed', 'expense'] },
    description: { type: 'string', minLength: 1, maxLength: 1000 },
    hours: { type: 'number', minimum: 0, maximum: 10_000 },
    rateMinor: { ...minorUnits, minimum: 0 },
    amountMinor: { ...minorUnits, minimum: 0 },
    taxRateBasisPoints: { type: 'integer', minimum: 0, maximum: 10_000, description: '2000 = 20%.' },
    date: { type: 'string', format: 'date' },
  },
} as const;

export const invoiceLineSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'position',
    'kind',
    'description',
    'quantity',
    'unitAmountMinor',
    'netMinor',
    'taxRateBasisPoints',
    'taxMinor',
  ],
  properties: {
    position: { type: 'integer', minimum: 1 },
    kind: { enum: ['hours', 'fixed', 'expense'] },
    description: { type: 'string' },
    quantity: { type: 'number', minimum: 0 },
    unitAmountMinor: minorUnits,
    netMinor: minorUnits,
    taxRateBasisPoints: { type: 'integer', minimum: 0 },
    taxMinor: minorUnits,
  },
} as const;

/** An invoice as stored in the source of truth; amounts are integers in minor units. */
export const invoiceSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/invoice.json`,
  title: 'Invoice',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'clientId',
    'currency',
    'issueDate',
    'dueDate',
    'status',
    'lines',
    'netMinor',
    'taxMinor',
    'totalMinor',
  ],
  properties: {
    id: idString,
    number: { type: 'string', description: 'Gap-free, allocated once per invoice: INV-2026-0001.' },
    clientId: idString,
    projectId: idString,
    currency,
    issueDate: { type: 'string', format: 'date' },
    dueDate: { type: 'string', format: 'date' },
    status: { enum: ['issued', 'paid', 'void'] },
    lines: { type: 'array', minItems: 1, items: invoiceLineSchema },
    netMinor: minorUnits,
    taxMinor: minorUnits,
    totalMinor: minorUnits,
    notes: { type: 'string', maxLength: 5000 },
    pdfSha256: { type: 'string' },
    createdAt: timestamp,
    runId: idString,
  },
} as const;

export type BillableItem = FromSchema<typeof billableItemSchema>;
export type InvoiceLine = FromSchema<typeof invoiceLineSchema>;
export type Invoice = FromSchema<typeof invoiceSchema>;
