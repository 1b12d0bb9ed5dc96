// "Forget this client" across every store: memory first (it may live in Weaviate, outside the
// database transaction; deleting again is harmless if the rest then fails and is retried), then
// the source-of-truth rows and the client's payload key in one transaction, then this process's
// cached key, so the ledger shows the erasure at once.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { getClient } from '../../store/clients.ts';
import { eraseClientRecords, getErasure, type ErasureRecord } from '../../store/client-erasure.ts';
import { codecsOf } from '../../temporal/codec/history.ts';
import { ClientKeyCodec } from '../../temporal/codec/payload-codec.ts';
import type { AppServices } from '../plugins/app/services.ts';
import { notFound } from './http-errors.ts';

/** Who asked, for the erasure record: the token's name and id, or the environment's token. */
export async function requesterOf(services: AppServices, tokenId: string | undefined): Promise<string> {
  if (!tokenId) return 'unknown';
  if (tokenId === 'env') return 'TRELLIS_API_TOKEN';
  const { rows } = await services.db.query<{ name: string }>('select name from api_tokens where id = $1', [tokenId]);
  return rows[0] ? `token "${rows[0].name}" (${tokenId})` : `token ${tokenId}`;
}

/** Runs of the client still going would fail on every step once the key is gone: they end now. */
async function terminateRunsOf(client: Client, clientId: string): Promise<number> {
  const quoted = clientId.replace(/["\\]/g, (c) => `\\${c}`);
  let terminated = 0;
  const query = `TrellisClientId = "${quoted}" AND ExecutionStatus = "Running"`;
  for await (const execution of client.workflow.list({ query })) {
    await client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .terminate(`client ${clientId} was forgotten`)
      .then(
        () => terminated++,
        // It may have finished meanwhile; anything else is a real failure.
        (error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        },
      );
  }
  return terminated;
}

export async function forgetClient(
  services: AppServices,
  input: { clientId: string; erasedBy: string; reason: string },
): Promise<{ erasure: ErasureRecord; alreadyErased: boolean }> {
  const earlier = await getErasure(services.db, input.clientId);
  if (earlier) return { erasure: earlier, alreadyErased: true };
  if (!(await getClient(services.db, input.clientId))) throw notFound('client', '/params/id');
  const runsTerminated = await terminateRunsOf(await services.temporal(), input.clientId);
  const memory = await services.memory();
  const memoryRecords = await memory.deleteByClient(input.clientId);
  const erasure = await eraseClientRecords(services.db, { ...input, memoryRecords, runsTerminated });
  for (const codec of codecsOf(await services.temporal()))
    if (codec instanceof ClientKeyCodec) codec.forgetClient(input.clientId);
  return { erasure, alreadyErased: false };
}
