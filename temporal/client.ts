import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  /** Encrypts what the client sends and decodes what it reads (temporal/codec). */
  payloadCodec?: PayloadCodec;
}

export async function connectClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({
    connection,
    namespace: options.namespace,
    ...(options.payloadCodec ? { dataConverter: { payloadCodecs: [options.payloadCodec] } } : {}),
  });
}
