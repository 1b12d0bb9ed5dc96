// Encrypts every payload Temporal stores (inputs, results, signals, markers) with AES-256-GCM.
// The codec cannot see which run a payload belongs to, so the payload names its key: one that
// mentions a client (a `clientId` field anywhere in its JSON) is sealed with that client's data
// key, everything else with the installation key. Destroying a client's key makes exactly its
// payloads unreadable; every other run still opens and replays.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from '../../security/keyring.ts';
import type { ClientKeys, Erasure } from './client-keys.ts';

// CommonJS: Node's ESM loader gives only its default export (vitest would accept a named one).
const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const INSTALLATION = 'installation/';
const CLIENT = 'client/';
const text = (value: string) => new TextEncoder().encode(value);
const string = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

export class PayloadDecryptError extends Error {}

/** What a payload sealed with a destroyed client key decodes to when reading for the ledger. */
export interface ErasedMarker {
  erased: true;
  clientId: string;
  erasedAt: string;
  erasedBy: string;
  reason?: string;
}

export function isErasedMarker(value: unknown): value is ErasedMarker {
  return typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true;
}

/** The first `clientId` string anywhere in a JSON payload, walked without recursion. */
export function clientIdIn(payload: Payload): string | undefined {
  if (string(payload.metadata?.[METADATA_ENCODING_KEY]) !== 'json/plain' || !payload.data) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(string(payload.data));
  } catch {
    return undefined;
  }
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    const found = (value as { clientId?: unknown }).clientId;
    if (typeof found === 'string' && found.length > 0) return found;
    stack.push(...(Object.values(value) as unknown[]).reverse());
  }
  return undefined;
}

export interface CodecOptions {
  keyring: Keyring;
  clientKeys: ClientKeys;
  /**
   * 'marker' (reading histories for the ledger): a payload of an erased client decodes to an
   * `ErasedMarker`. 'throw' (the worker): it fails, as a run of a forgotten client must not go on.
   */
  onErased: 'marker' | 'throw';
}

export class ClientKeyCodec implements PayloadCodec {
  private readonly options: CodecOptions;

  constructor(options: CodecOptions) {
    this.options = options;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encodeOne(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  /** After an erasure in this process: the client's key must not be served from the cache. */
  forgetClient(clientId: string): void {
    this.options.clientKeys.forget(clientId);
  }

  private async encodeOne(payload: Payload): Promise<Payload> {
    if (string(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING) return payload;
    const clientId = clientIdIn(payload);
    const clientKey = clientId ? await this.options.clientKeys.forEncoding(clientId) : undefined;
    // A forgotten client's key is never recreated; anything still arriving for it uses the installation key.
    const [keyId, key] =
      clientKey && 'key' in clientKey
        ? [`${CLIENT}${clientId}`, clientKey.key]
        : [`${INSTALLATION}${this.options.keyring.current}`, this.installationKey(this.options.keyring.current)];
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(text(keyId));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: text(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text(keyId) },
      data: Buffer.concat([nonce, cipher.getAuthTag(), body]),
    };
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    // Payloads written before encryption (and recorded fixtures) are read as they are.
    if (string(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = string(payload.metadata?.[KEY_ID_METADATA]);
    let key: Buffer;
    if (keyId.startsWith(INSTALLATION)) key = this.installationKey(keyId.slice(INSTALLATION.length));
    else if (keyId.startsWith(CLIENT)) {
      const clientId = keyId.slice(CLIENT.length);
      const found = await this.options.clientKeys.forDecoding(clientId);
      if (!found) throw new PayloadDecryptError(`payload sealed with client ${clientId}'s key, which was never stored`);
      if ('erased' in found) return this.erased(found.erased);
      key = found.key;
    } else throw new PayloadDecryptError(`payload sealed with an unknown key "${keyId}"`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < 28) throw new PayloadDecryptError('encrypted payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
    decipher.setAAD(text(keyId));
    decipher.setAuthTag(data.subarray(12, 28));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
    } catch {
      throw new PayloadDecryptError(`encrypted payload (key ${keyId}) does not open: altered or wrong key`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }

  private erased(erasure: Erasure): Payload {
    if (this.options.onErased === 'throw')
      throw new PayloadDecryptError(`client ${erasure.clientId} was erased at ${erasure.erasedAt}; its data is gone`);
    const marker: ErasedMarker = { erased: true, ...erasure };
    return {
      metadata: { [METADATA_ENCODING_KEY]: text('json/plain') },
      data: text(JSON.stringify(marker)),
    };
  }

  private installationKey(id: string): Buffer {
    const key = this.options.keyring.keys.get(id);
    if (!key)
      throw new PayloadDecryptError(`payload sealed with installation key ${id}, which the keyring does not hold`);
    return key;
  }
}
