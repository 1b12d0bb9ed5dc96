// The payload codec as the server, the worker and the CLI build it: on unless
// TRELLIS_PAYLOAD_ENCRYPTION=off (for a deployment whose Temporal store is already encrypted
// and that wants its histories readable in Temporal's own UI).
import type { PayloadCodec } from '@temporalio/common';
import { loadKeyring } from '../../security/keyring.ts';
import type { Queryable } from '../../store/db.ts';
import { ClientKeys } from './client-keys.ts';
import { ClientKeyCodec } from './payload-codec.ts';

export function payloadEncryptionEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TRELLIS_PAYLOAD_ENCRYPTION !== 'off';
}

export interface PayloadCodecSetup {
  db: Queryable;
  dataDir: string;
  onErased: 'marker' | 'throw';
  env?: NodeJS.ProcessEnv;
}

/** The codec, or undefined when encryption is turned off. */
export function createPayloadCodec(setup: PayloadCodecSetup): { codec: PayloadCodec; keys: ClientKeys } | undefined {
  const env = setup.env ?? process.env;
  if (!payloadEncryptionEnabled(env)) return undefined;
  const keyring = loadKeyring(setup.dataDir, env);
  const keys = new ClientKeys(setup.db, keyring);
  return { codec: new ClientKeyCodec({ keyring, clientKeys: keys, onErased: setup.onErased }), keys };
}
