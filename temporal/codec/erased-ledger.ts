// The ledger of a run whose client was forgotten: its payloads no longer open, so all that is
// left is what Temporal keeps in the clear (status, times, event count) and the erasure itself.
import type { Ledger } from '../ledger-model.ts';
import type { ErasedMarker } from './payload-codec.ts';

export function erasedLedger(
  workflowId: string,
  marker: ErasedMarker,
  run: Pick<Ledger, 'runId' | 'status' | 'startedAt' | 'endedAt' | 'eventCount'>,
): Ledger {
  const erased: ErasedMarker = {
    erased: true,
    clientId: marker.clientId,
    erasedAt: marker.erasedAt,
    erasedBy: marker.erasedBy,
    ...(marker.reason ? { reason: marker.reason } : {}),
  };
  return {
    workflowId,
    planHash: '',
    planName: '',
    workflow: { id: '', version: 0 },
    mode: 'live',
    trigger: {},
    entries: [],
    compensations: [],
    totals: { costUsd: 0, tokens: 0, humanDecisions: 0 },
    ...run,
    error: `client data erased at ${marker.erasedAt} by ${marker.erasedBy}`,
    erased,
  };
}
