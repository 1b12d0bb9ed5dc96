// Histories fetched from Temporal hold payloads as the codec left them: the SDK decodes what a
// workflow or a client receives, but not a raw history. Everything that reads histories (the
// ledger, replay, re-runs, canary slices) reads them through here.
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

function isPayload(value: object): value is Payload {
  const metadata = (value as Payload).metadata;
  return typeof metadata === 'object' && metadata !== null && 'data' in value;
}

/** Decodes every payload in a history, in place, through the codecs (last applied first). */
export async function decodeHistory(history: History, codecs: PayloadCodec[]): Promise<History> {
  if (codecs.length === 0) return history;
  const found: { holder: Record<string, unknown>; key: string; payload: Payload }[] = [];
  const stack: unknown[] = [history];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (typeof child !== 'object' || child === null || ArrayBuffer.isView(child)) continue;
      if (!Array.isArray(child) && isPayload(child))
        found.push({ holder: value as Record<string, unknown>, key, payload: child });
      else stack.push(child);
    }
  }
  let payloads = found.map((entry) => entry.payload);
  for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
  found.forEach((entry, i) => (entry.holder[entry.key] = payloads[i]));
  return history;
}

/** The codecs a client was built with (none when encryption is off). */
export function codecsOf(client: Client): PayloadCodec[] {
  return client.options.loadedDataConverter.payloadCodecs;
}

/** A run's history with its payloads decoded by the client's codecs. */
export async function fetchDecodedHistory(client: Client, workflowId: string, runId?: string): Promise<History> {
  return decodeHistory(await client.workflow.getHandle(workflowId, runId).fetchHistory(), codecsOf(client));
}
