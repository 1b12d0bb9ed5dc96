import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { fetchDecodedHistory } from '../../temporal/codec/history.ts';
import { isErasedMarker } from '../../temporal/codec/payload-codec.ts';
import { buildLedger, runInputOf, type Ledger } from '../../temporal/ledger.ts';
import { searchKeys } from '../../temporal/runs.ts';
import type { RunInput } from '../../temporal/workflows/run-types.ts';
import type { CanarySlice } from '../schemas/canary.ts';

export interface PastRun {
  workflowId: string;
  input: RunInput;
  ledger: Ledger;
}

const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query for a workflow's finished runs in a time range. */
export function sliceQuery(workflowId: string, slice: CanarySlice): string {
  const conditions = [`${searchKeys.workflow.name} = ${quoted(workflowId)}`, `ExecutionStatus = 'Completed'`];
  if (slice.from) conditions.push(`StartTime >= ${quoted(slice.from)}`);
  if (slice.to) conditions.push(`StartTime < ${quoted(slice.to)}`);
  return conditions.join(' AND ');
}

const clientOf = (input: RunInput) => (input.trigger.event as { clientId?: unknown } | undefined)?.clientId;

/**
 * Past live runs of a workflow, oldest first, from Temporal visibility and each run's history
 * (the ledger): re-runs and canaries are not part of what happened, so they are left out.
 */
export async function listPastRuns(client: Client, workflowId: string, slice: CanarySlice): Promise<PastRun[]> {
  const limit = slice.limit ?? 50;
  const found: PastRun[] = [];
  for await (const execution of client.workflow.list({ query: sliceQuery(workflowId, slice) })) {
    const history = await fetchDecodedHistory(client, execution.workflowId, execution.runId);
    // A forgotten client's runs cannot be read, so they are not part of any slice.
    const first = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (first && isErasedMarker(defaultPayloadConverter.fromPayload(first))) continue;
    const input = runInputOf(history);
    if ((input.mode ?? 'live') !== 'live') continue;
    if (slice.clientId && clientOf(input) !== slice.clientId) continue;
    found.push({ workflowId: execution.workflowId, input, ledger: buildLedger(execution.workflowId, history) });
    // Visibility lists the newest first: the first `limit` that fit are the slice.
    if (found.length >= limit) break;
  }
  return found.sort(
    (a, b) => a.ledger.startedAt.localeCompare(b.ledger.startedAt) || a.workflowId.localeCompare(b.workflowId),
  );
}
