// The mail and the reply shapes of the retraining API test (tests/integration/api-extraction-retrain.test.ts).
import { randomUUID } from 'node:crypto';
import type { ModelCanaryFigures } from '../../control/canary/reports.ts';

export interface Extraction {
  intent: { label: string; confidence: number };
  model?: string;
}
export interface Task {
  id: string;
  proposed?: { extraction: Extraction };
}
export interface LedgerEntry {
  nodeId: string;
  model?: string;
  notes?: string[];
}
export interface ModelVersion {
  id: string;
  status: string;
  reportId?: string;
  training: { examples: number; tasks: string[]; labels: Record<string, number>; rightAfter: number };
}
export interface Report {
  id: string;
  kind: string;
  status: string;
  candidate: Record<string, unknown>;
  summary?: {
    runs: number;
    extraction?: ModelCanaryFigures;
  };
  promotion?: Record<string, unknown>;
}

export const sender = { name: 'Greta Olsen', address: `greta@northwind-${randomUUID().slice(0, 8)}.example` };

// Northwind's weekly order sheet: the shipped model reads it as a change request and is unsure,
// so a person checks; the person says it is routine ("other"). No client in the source of truth,
// so the per-client corrections in memory do not apply: only a retrained model can learn it.
export function email(subject: string, text: string) {
  return {
    type: 'email.received',
    actor: { kind: 'person' as const, ...sender },
    source: { kind: 'email' as const, uri: `mid:${randomUUID()}@northwind.example`, version: '1' },
    occurredAt: '2025-06-02T09:00:00+02:00',
    confidence: 1,
    payload: { subject, text },
    metadata: {},
  };
}

export const orderSheet = (week: number) =>
  email(
    `Order sheet week ${week}`,
    `Hi Lena,\n\nAttached is our order sheet for week ${week}. Store 12 reports stock value of ${week * 100} EUR.\nPlease update the dashboard numbers before Friday.\n\nThanks,\nGreta Olsen\nNorthwind Traders`,
  );

// The same sender's payment notice: billing, approved as it is; retraining must leave it billing.
export const payment = email(
  'Payment for order 77',
  'Hi Lena,\n\nWe paid the invoice for order 77 by wire transfer today, 1,200 EUR.\n\nRegards,\nGreta',
);
