// The shape of a run's ledger (temporal/ledger.ts reads it from the history; codec/erased-ledger.ts
// writes the one left after an erasure), apart from both so neither imports the other.
import type { LedgerEntry } from '../schemas/ledger-entry.ts';
import type { ErasedMarker } from './codec/payload-codec.ts';
import type { RoutingDecision, RunInput } from './workflows/run-types.ts';

export interface Ledger {
  workflowId: string;
  runId: string;
  planHash: string;
  planName: string;
  workflow: RunInput['workflow'];
  mode: NonNullable<RunInput['mode']>;
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out';
  startedAt: string;
  endedAt?: string;
  trigger: RunInput['trigger'];
  routing?: RoutingDecision;
  rerunOf?: RunInput['rerunOf'];
  entries: LedgerEntry[];
  compensations: { nodeId: string; at: string }[];
  totals: { costUsd: number; tokens: number; humanDecisions: number };
  error?: string;
  eventCount: number;
  /** Set when the run's client was forgotten: its payloads are unreadable, and this says when and by whom. */
  erased?: ErasedMarker;
}
