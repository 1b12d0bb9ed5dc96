import type { FromSchema } from 'json-schema-to-ts';
import { embed } from '../../schemas/common.ts';
import { billableItemSchema, invoiceSchema } from '../../schemas/invoice.ts';
import type { NodeDeclaration } from '../sdk/define-node.ts';

const currency = { type: 'string', pattern: '^[A-Z]{3}$', title: 'Currency', description: 'ISO 4217 code.' } as const;
const isoDate = { type: 'string', format: 'date' } as const;

export const invoiceDeclaration = {
  type: 'invoice',
  version: 1,
  title: 'Invoice',
  description:
    'Issues an invoice from billable items (hours × rate, fixed fees, expenses) for a client: integer ' +
    'minor-unit amounts, per-line tax, the next gap-free number of the series, and a PDF stored in the ' +
    'source of truth. A retry returns the same invoice; its compensation voids it.',
  category: 'finance',
  config: {
    type: 'object',
    additionalProperties: false,
    required: ['currency', 'seller'],
    properties: {
      currency: { ...currency, description: 'Used unless the input or the client record names one.' },
      seriesPrefix: {
        type: 'string',
        pattern: '^[A-Z][A-Z0-9]{0,15}$',
        title: 'Number prefix',
        description: 'Numbers read PREFIX-YEAR-0001, one gap-free series per prefix and year (default INV).',
      },
      paymentTermsDays: {
        type: 'integer',
        minimum: 0,
        maximum: 365,
        title: 'Payment terms (days)',
        description: 'Due date = issue date + this, unless the client record says otherwise (default 30).',
      },
      taxRateBasisPoints: {
        type: 'integer',
        minimum: 0,
        maximum: 10_000,
        title: 'Default tax rate (basis points)',
        description: '2000 = 20 %. Items and client records may carry their own (default 0).',
      },
      notesTemplate: {
        type: 'string',
        maxLength: 2000,
        title: 'Notes',
        description:
          'Printed on the invoice. Placeholders: {{clientName}}, {{issueDate}}, {{dueDate}}, {{total}}, ' +
          '{{paymentTermsDays}}, {{currency}}.',
      },
      locale: { type: 'string', minLength: 2, maxLength: 35, title: 'Locale', description: 'Default en-US.' },
      timeZone: {
        type: 'string',
        minLength: 1,
        maxLength: 64,
        title: 'Time zone',
        description: 'IANA zone that decides today’s date when the input gives no issue date (default UTC).',
      },
      seller: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        title: 'Seller',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          address: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 200 } },
          email: { type: 'string', maxLength: 200 },
          taxId: { type: 'string', maxLength: 100 },
          paymentInstructions: { type: 'string', maxLength: 2000, description: 'Bank details or a payment link.' },
        },
      },
    },
  },
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['billing'],
    properties: {
      billing: {
        type: 'object',
        title: 'Billing',
        additionalProperties: false,
        required: ['clientId', 'items'],
        properties: {
          clientId: { type: 'string', minLength: 1, maxLength: 200 },
          projectId: { type: 'string', minLength: 1, maxLength: 200 },
          items: { type: 'array', minItems: 1, maxItems: 500, items: billableItemSchema },
          currency,
          issueDate: { ...isoDate, description: 'Defaults to today in the configured time zone.' },
          notes: { type: 'string', maxLength: 5000, description: 'Replaces the configured notes.' },
        },
      },
    },
  },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['invoice', 'totalText'],
    properties: {
      invoice: { ...embed(invoiceSchema), title: 'Invoice' },
      totalText: { type: 'string', title: 'Total', description: 'The total formatted for people: "€1,234.50".' },
    },
  },
  execution: {
    kind: 'activity',
    timeoutMs: 60_000,
    retry: { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
  },
  tier: { cost: 'free', latency: 'fast' },
  sideEffects: true,
  editor: { color: '#15803d', icon: 'receipt', summaryField: 'seriesPrefix' },
  examples: [
    {
      title: 'Hours and an expense, 20 % VAT',
      config: {
        currency: 'EUR',
        seriesPrefix: 'INV',
        paymentTermsDays: 14,
        taxRateBasisPoints: 2000,
        notesTemplate: 'Thank you. Please pay {{total}} by {{dueDate}}.',
        seller: { name: 'Ada Studio', address: ['1 Quay Street', 'Dublin'], taxId: 'IE1234567X' },
      },
      input: {
        billing: {
          clientId: 'client-1',
          items: [
            { kind: 'hours', description: 'Design review', hours: 7.5, rateMinor: 9000 },
            { kind: 'expense', description: 'Train to site', amountMinor: 4250, taxRateBasisPoints: 0 },
          ],
        },
      },
    },
  ],
} as const satisfies NodeDeclaration;

export type InvoiceConfig = FromSchema<typeof invoiceDeclaration.config>;
export type InvoiceInput = FromSchema<typeof invoiceDeclaration.input>;
export type InvoiceOutput = FromSchema<typeof invoiceDeclaration.output>;
